"""What the fleet says, in both languages: the commands' errors and the supervisor's page."""

from __future__ import annotations

from kiosk.texts import Text

# --- commands -----------------------------------------------------------------------------------
DB_UNREACHABLE = Text(
    "fleet.db_unreachable",
    zh="无法连接车队数据库 {db}（{kind}）",
    en="cannot reach the fleet database {db} ({kind})",
    fix_zh="请检查 --db / KIOSK_FLEET_DB 与数据库是否在运行",
    fix_en="check --db / KIOSK_FLEET_DB and that the database is running")
DB_NOT_MIGRATED = Text(
    "fleet.db_not_migrated",
    zh="车队数据库 {db} 的结构不是最新",
    en="the fleet database {db} has an older schema",
    fix_zh="请先运行 'kiosk fleet migrate'",
    fix_en="run 'kiosk fleet migrate' first")
MIGRATED = Text("fleet.migrated", zh="车队数据库 {db}：结构版本 {before} → {now}",
                en="fleet database {db}: schema {before} -> {now}")
TOKEN_ISSUED = Text(
    "fleet.token_issued",
    zh="网点 {branch} 的一次性加入令牌（{hours:g} 小时内有效）：",
    en="single-use enrolment token for branch {branch} (valid {hours:g} h):")
BAD_BRANCH = Text(
    "fleet.bad_branch", zh="网点名称须为 1 到 100 个字符", en="a branch name is 1 to 100 characters",
    fix_zh="例如 --branch shanghai-01", fix_en="give e.g. --branch shanghai-01")
USER_SAVED = Text("fleet.user_saved", zh="用户 {name}（{role}）已保存",
                  en="user {name} ({role}) saved")
NO_PASSWORD = Text(
    "fleet.no_password", zh="没有密码", en="no password given",
    fix_zh="请在提示时输入，或设置 KIOSK_FLEET_PASSWORD（至少 8 个字符）",
    fix_en="type it when asked, or set KIOSK_FLEET_PASSWORD (8 characters or more)")
REVOKED = Text("fleet.revoked", zh="自助机 {kiosk} 的密钥已吊销", en="kiosk {kiosk}'s key revoked")
NO_SUCH_KIOSK = Text("fleet.no_such_kiosk", zh="没有在用的自助机 {kiosk}",
                     en="no active kiosk {kiosk}",
                     fix_zh="请在车队页面查看自助机编号", fix_en="see the kiosk ids on the fleet page")
PORT_IN_USE = Text(
    "fleet.port_in_use", zh="无法监听 {host}:{port}（{error}）",
    en="cannot listen on {host}:{port} ({error})",
    fix_zh="请用 --port 换一个端口，或停止占用它的程序",
    fix_en="choose another --port, or stop the program that uses it")
SERVING = Text("fleet.serving", zh="车队服务：{url}（数据库 {db}，{workers} 个工作进程）",
               en="fleet service: {url} (database {db}, {workers} workers)")
# kiosk side
JOINED = Text("fleet.joined", zh="已加入车队 {url}：自助机 {kiosk}，网点 {branch}",
              en="joined the fleet at {url}: kiosk {kiosk}, branch {branch}")
JOIN_REFUSED = Text(
    "fleet.join_refused", zh="车队服务拒绝加入：{reason}", en="the fleet service refused: {reason}",
    fix_zh="请在服务端用 'kiosk fleet token --branch 网点' 取一个新的令牌",
    fix_en="get a new token on the service with 'kiosk fleet token --branch BRANCH'")
JOIN_UNREACHABLE = Text(
    "fleet.join_unreachable", zh="无法连接车队服务 {url}（{kind}）",
    en="cannot reach the fleet service at {url} ({kind})",
    fix_zh="请检查网址与网络，然后重试", fix_en="check the URL and the network, then try again")
BAD_URL = Text(
    "fleet.bad_url", zh="车队服务网址须以 https:// 开头（本机测试可用 http://127.0.0.1）：{url}",
    en="the fleet URL must start with https:// (http:// only to this machine): {url}",
    fix_zh="例如 https://fleet.example.com", fix_en="give e.g. https://fleet.example.com")
NOT_JOINED = Text(
    "fleet.not_joined", zh="本机尚未加入车队", en="this kiosk has not joined a fleet",
    fix_zh="请运行 'kiosk fleet join 网址 --token 令牌'",
    fix_en="run 'kiosk fleet join URL --token TOKEN'")
STATUS = Text("fleet.status",
              zh="车队 {url}：自助机 {kiosk}，网点 {branch}；待发送 {waiting} 行，被拒 {refused} 行",
              en="fleet {url}: kiosk {kiosk}, branch {branch}; {waiting} rows waiting, "
                 "{refused} refused")
SENT = Text("fleet.sent", zh="已发送 {sent} 行，仍待发送 {waiting} 行",
            en="{sent} rows sent, {waiting} still waiting")
FIRST_USER = Text(
    "fleet.first_user",
    zh="已创建第一个用户 admin（主管），密码：{password}（只显示这一次；可用 'kiosk fleet user add' 更改）",
    en="made the first user, admin (supervisor), password: {password} (shown once; change it with "
       "'kiosk fleet user add admin')")
PASSWORD_PROMPT = Text("fleet.password_prompt", zh="密码：", en="password: ")

# --- the service: alerts (on the page and to the webhook) -------------------------------------
ALERT_SILENT = Text("fleet.alert_silent", zh="自助机 {kiosk} 已 {minutes} 分钟无心跳",
                    en="kiosk {kiosk} silent for {minutes} min")
ALERT_CAMERA = Text("fleet.alert_camera", zh="自助机 {kiosk}：摄像头自检失败",
                    en="kiosk {kiosk}: camera failed its self-test")
ALERT_COULD_NOT_CHECK = Text(
    "fleet.alert_could_not_check",
    zh="网点 {branch}：近一小时 {pct}% 未能完成核验（{total} 次中 {bad} 次）",
    en="branch {branch}: {pct} % could not check in the last hour ({bad} of {total})")
# --- the service: refusals a person sees in the browser -----------------------------------------
CSRF_FAILED = Text("fleet.csrf_failed", zh="跨站请求校验失败", en="CSRF check failed",
                   fix_zh="请重新打开页面再提交", fix_en="open the page again and resubmit")
READ_ONLY = Text("fleet.read_only", zh="审计员只能查看", en="Auditors are read-only")
BAD_EXPORT_RANGE = Text(
    "fleet.bad_export_range",
    zh="from 与 to 须为 YYYY-MM-DD 格式的日期，且 from <= to，最多 {days} 天",
    en="from and to must be dates YYYY-MM-DD, from <= to, at most {days} days")
DB_AWAY = Text("fleet.db_away", zh="无法连接车队数据库", en="the fleet database cannot be reached",
               fix_zh="请一分钟后重试", fix_en="try again in a minute")
BAD_TZ = Text("fleet.bad_tz", zh="未知的时区：{tz}", en="unknown time zone: {tz}",
              fix_zh="请给出 IANA 时区名，例如 --tz Asia/Shanghai",
              fix_en="give an IANA zone name, e.g. --tz Asia/Shanghai")
