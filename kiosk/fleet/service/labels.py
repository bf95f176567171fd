"""The supervisor's page's labels, Chinese and English side by side: key -> (zh, en).

A table of its own (like kiosk.api.codes): labels are short words a page shows in one language or
the other, chosen by ``html.t``; tests/fleet/test_page.py checks that each has both languages.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("自助机车队", "Kiosk fleet"),
    "sign_in": ("登录", "Sign in"), "sign_out": ("退出", "Sign out"),
    "user": ("用户名", "User name"), "password": ("密码", "Password"),
    "bad_login": ("用户名或密码不对", "Wrong user name or password"),
    "alerts": ("告警", "Alerts"), "no_alerts": ("没有告警", "No alerts"),
    "kiosks": ("各网点自助机", "Kiosks by branch"), "no_kiosks": ("还没有自助机加入", "No kiosk has joined yet"),
    "kiosk": ("自助机", "Kiosk"), "state": ("状态", "State"), "version": ("版本", "Version"),
    "heartbeat": ("上次心跳", "Last heartbeat"), "camera": ("摄像头", "Camera"),
    "microphone": ("麦克风", "Microphone"), "service": ("核身服务", "Service"),
    "disk": ("磁盘剩余", "Disk free"), "clock": ("时钟偏差", "Clock offset"),
    "last_error": ("最近错误", "Last error"), "outbox": ("待发送", "Outbox"),
    "online": ("在线", "online"), "stale": ("迟滞", "stale"), "offline": ("离线", "offline"),
    "never": ("从未", "never"), "revoke": ("吊销", "Revoke"),
    "sessions": ("核验次数（按结果）", "Sessions by outcome"), "outcome": ("结果", "Outcome"),
    "today": ("今天", "Today"), "week": ("近 7 天", "Last 7 days"),
    "chart": ("每日结果（近 14 天）", "Outcomes per day (last 14 days)"),
    "days_in": ("日期按时区", "Days in"),
    "codes": ("最常见的拒绝错误码（近 7 天）", "Top refusal codes (last 7 days)"),
    "code": ("错误码", "Code"), "count": ("次数", "Count"),
    "customer_text": ("顾客看到的", "Customer text"), "operator_text": ("工作人员看到的", "Operator text"),
    "limits": ("尝试次数上限事件（近 7 天）", "Attempt-limit events (last 7 days)"),
    "none": ("无", "None"), "time": ("时间", "Time"), "branch": ("网点", "Branch"),
    "id_masked": ("证件号（已遮盖）", "ID (masked)"), "reference": ("参考号", "Reference"),
    "export": ("导出 CSV", "Export CSV"), "from": ("从", "From"), "to": ("到（含）", "To (inclusive)"),
    "read_only": ("只读（审计员）", "read-only (auditor)"),
}
# Each language named in itself, for the link that switches to it.
LANGUAGES = {"zh": "中文", "en": "English"}
