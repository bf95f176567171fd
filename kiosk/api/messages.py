"""What the client says when a call cannot be made or its reply cannot be read, in both languages."""

from __future__ import annotations

from kiosk.texts import Text

# --- the client's settings -------------------------------------------------------------------

MISSING_CREDENTIALS = Text(
    "api.missing_credentials",
    zh="缺少凭据：{names}",
    en="missing credentials: {names}",
    fix_zh="请配置 appid、SecretId 和 SecretKey",
    fix_en="configure the appid, secret id and secret key")
CALL_CANCELLED = Text(
    "api.call_cancelled",
    zh="{call} 请求已取消",
    en="{call} was cancelled")

# --- refused before sending: a guard predicts the service's refusal --------------------------

BODY_TOO_LARGE = Text(
    "api.body_too_large",
    zh="请求包体将为 {length:,} 字节，超过服务上限 {limit:,} 字节（服务会返回错误码 23）；未发送任何内容",
    en="the request body would be {length:,} bytes, over the service's limit of {limit:,} "
       "(it would answer code 23); nothing was sent",
    fix_zh="请缩短视频、降低分辨率或换用更小的照片",
    fix_en="record a shorter or smaller clip, or use a smaller photo")
PHOTO_TOO_LARGE = Text(
    "api.photo_too_large",
    zh="照片 {path} 超过服务的包体上限 {limit:,} 字节（会返回错误码 23）；未发送任何内容",
    en="the photo {path} is over the service's {limit:,}-byte body limit (it would answer "
       "code 23); nothing was sent",
    fix_zh="请换用更小的照片",
    fix_en="use a smaller photo")
MISSING_ID_NUMBER = Text(
    "api.missing_id_number",
    zh="缺少必填字段 身份证号码（服务会返回错误码 {code}）；未发送任何内容",
    en="the field idcard_number is required and empty (the service would answer code {code}); "
       "nothing was sent",
    fix_zh="请输入身份证号码",
    fix_en="enter the ID number")
MISSING_NAME = Text(
    "api.missing_name",
    zh="缺少必填字段 身份证姓名（服务会返回错误码 {code}）；未发送任何内容",
    en="the field idcard_name is required and empty (the service would answer code {code}); "
       "nothing was sent",
    fix_zh="请输入身份证姓名",
    fix_en="enter the name on the ID card")
MISSING_DIGITS = Text(
    "api.missing_digits",
    zh="缺少必填字段 唇语验证数字（服务会返回错误码 {code}）；未发送任何内容",
    en="the field validate_data is required and empty (the service would answer code {code}); "
       "nothing was sent",
    fix_zh="请先获取四位数字（kiosk code）",
    fix_en="fetch four digits with livegetfour ('kiosk code') first")
MISSING_PHOTO_OR_URL = Text(
    "api.missing_photo_or_url",
    zh="缺少必填字段 照片或图片地址（服务会返回错误码 {code}）；未发送任何内容",
    en="the field image or url is required and empty (the service would answer code {code}); "
       "nothing was sent",
    fix_zh="请提供照片文件或图片地址",
    fix_en="give a photo file or an image URL")
NO_CARD_TO_COMPARE = Text(
    "api.no_card_to_compare",
    zh="compare_flag 为 true 但未提供证件照；未发送任何内容",
    en="compare_flag is true but no card photo was given; nothing was sent",
    fix_zh="请提供证件照，或仅做活体检测（compare_flag=False）",
    fix_en="give a card photo, or compare_flag=False for liveness only")

# The photo a message is about ({label.zh} / {label.en} in the messages below).
PHOTO = Text("api.photo", zh="照片", en="photo")
CARD_PHOTO = Text("api.card_photo", zh="证件照", en="card photo")
NAMED_PHOTO = Text("api.named_photo", zh="照片（{name}）", en="{name} photo")

PHOTO_EMPTY = Text(
    "api.photo_empty",
    zh="{label.zh}是空的；未发送任何内容",
    en="the {label.en} is empty; nothing was sent",
    fix_zh="请选择 JPEG 或 PNG 照片",
    fix_en="choose a JPEG or PNG photo")
PHOTO_IS_GIF = Text(
    "api.photo_is_gif",
    zh="{label.zh}是GIF 图片，服务不支持；未发送任何内容",
    en="the {label.en} is a GIF, which the service does not accept; nothing was sent",
    fix_zh="请使用静态的 JPEG 或 PNG 照片",
    fix_en="use a still JPEG or PNG photo")
PHOTO_IS_ANIMATED = Text(
    "api.photo_is_animated",
    zh="{label.zh}是动图（{kind}），服务不支持；未发送任何内容",
    en="the {label.en} is an animated image ({kind}), which the service does not accept; "
       "nothing was sent",
    fix_zh="请使用静态的 JPEG 或 PNG 照片",
    fix_en="use a still JPEG or PNG photo")

# --- the files to send -----------------------------------------------------------------------

# --- the network ---------------------------------------------------------------------------

DNS_FAILED = Text(
    "api.dns_failed",
    zh="无法解析主机名 {host}（DNS 失败）",
    en="cannot resolve the host name {host} (DNS failure)",
    fix_zh="请检查服务地址和网络的 DNS 设置",
    fix_en="check the endpoint URL and the network's DNS settings")
CONNECTION_REFUSED = Text(
    "api.connection_refused",
    zh="无法连接 {host}：连接被拒绝",
    en="cannot connect to {host}: connection refused",
    fix_zh="请检查服务地址，并确认服务（或模拟器）正在运行",
    fix_en="check the endpoint URL and that the service (or the emulator) is running")
CONNECT_FAILED = Text(
    "api.connect_failed",
    zh="无法连接 {host}（{said}）",
    en="cannot connect to {host} ({said})",
    fix_zh="请检查网络、代理设置和服务地址",
    fix_en="check the network, the proxy settings and the endpoint URL")
CONNECT_TIMEOUT = Text(
    "api.connect_timeout",
    zh="{seconds:g} 秒内无法连接 {host}",
    en="no connection to {host} within {seconds:g} s",
    fix_zh="请检查网络后重试",
    fix_en="check the network and try again")
TLS_FAILED = Text(
    "api.tls_failed",
    zh="与 {host} 的安全连接失败（{reason}）",
    en="the secure connection to {host} failed ({reason})",
    fix_zh="请检查服务地址和本机时间；若代理拦截 TLS，请将其证书加入系统信任库",
    fix_en="check the endpoint and this machine's clock; a proxy that intercepts TLS needs its "
           "certificate in the system trust store")
READ_TIMEOUT = Text(
    "api.read_timeout",
    zh="{host} 在 {seconds:g} 秒内没有回复",
    en="{host} did not answer within {seconds:g} s",
    fix_zh="请重试；若反复出现请检查网络",
    fix_en="try again; if it repeats, check the network")
DEADLINE_PASSED = Text(
    "api.deadline_passed",
    zh="对 {host} 的请求超过总时限 {seconds:.0f} 秒（网络很慢或服务器停滞）",
    en="the request to {host} took longer than its overall limit of {seconds:.0f} s "
       "(the network is very slow or the server stalls)",
    fix_zh="请在网络较好时重试",
    fix_en="try again on a better network")
UPLOAD_STALLED = Text(
    "api.upload_stalled",
    zh="发往 {host} 的上传停滞：网络 {seconds:g} 秒内没有传出任何数据",
    en="the upload to {host} stalled: the network carried nothing for {seconds:g} s",
    fix_zh="请检查手机信号或网络，然后重试",
    fix_en="check the mobile signal or the network, then try again")
CONNECTION_LOST = Text(
    "api.connection_lost",
    zh="与 {host} 的连接在请求过程中中断",
    en="the connection to {host} broke during the request",
    fix_zh="请重试；若反复出现请检查网络",
    fix_en="try again; check the network if it repeats")
REPLY_CUT_OFF = Text(
    "api.reply_cut_off",
    zh="来自 {host} 的回复不完整",
    en="the reply from {host} was cut short",
    fix_zh="请重试；若反复出现请检查网络",
    fix_en="try again; check the network if it repeats")

# Appended to the last error of a call that timed out or was tried more than once.
GAVE_UP_AFTER_ONE_ATTEMPT = Text(
    "api.gave_up_after_one_attempt",
    zh="；共尝试 1 次，用时 {spent} 秒",
    en="; gave up after {spent} s in 1 attempt")
GAVE_UP_AFTER_ATTEMPTS = Text(
    "api.gave_up_after_attempts",
    zh="；共尝试 {attempts} 次，用时 {spent} 秒",
    en="; gave up after {spent} s in {attempts} attempts")

# --- HTTP errors without a service reply ----------------------------------------------------

SERVER_FAILED = Text(
    "api.server_failed",
    zh="服务器 {host} 出错（HTTP {status}）",
    en="the server {host} failed with HTTP {status}",
    fix_zh="请几分钟后重试",
    fix_en="try again in a few minutes")
REDIRECTED = Text(
    "api.redirected",
    zh="{host} 重定向了请求（HTTP {status}），可能是网络认证页面",
    en="{host} redirected the request (HTTP {status}), as captive portals do",
    fix_zh="请先登录网络，或检查服务地址",
    fix_en="log in to the network, or check the endpoint URL")
HTTP_REFUSED = Text(
    "api.http_refused",
    zh="{host} 拒绝了请求（HTTP {status}）",
    en="{host} refused the request with HTTP {status}",
    fix_zh="请检查服务地址和 Host 头设置",
    fix_en="check the endpoint URL and the Host header setting")
RATE_LIMITED = Text(
    "api.rate_limited",
    zh="{host} 的服务正在限制请求频率（HTTP 429，请求过于频繁）",
    en="the service at {host} is limiting the rate of requests (HTTP 429, too many requests)",
    fix_zh="请等待一分钟后重试",
    fix_en="wait a minute and try again")
RATE_LIMITED_UNTIL = Text(
    "api.rate_limited_until",
    zh="{host} 的服务正在限制请求频率（HTTP 429，请求过于频繁）",
    en="the service at {host} is limiting the rate of requests (HTTP 429, too many requests)",
    fix_zh="请等待 {wait:.0f} 秒后重试（{at:%H:%M:%S} 之后）",
    fix_en="wait {wait:.0f} s and try again (after {at:%H:%M:%S})")

# Appended to a ServiceError with code 9 (signature expired) when the server's Date says why.
CLOCK_OFF = Text(
    "api.clock_off",
    zh="；本机时钟与服务器相差 {skew:+.0f} 秒",
    en="; this machine's clock is {skew:+.0f} s off the server's")

# --- replies that are not service replies ---------------------------------------------------

REPLY_EMPTY = Text(
    "api.reply_empty",
    zh="服务器回复为空",
    en="the server's reply was empty",
    fix_zh="请重试；若反复出现请检查网络",
    fix_en="try again; check the network if it repeats")
REPLY_CUT_SHORT = Text(
    "api.reply_cut_short",
    zh="服务器回复不完整（{length} 个字符，JSON 未结束）",
    en="the server's reply was cut short ({length} characters, JSON not closed)",
    fix_zh="请重试；若反复出现请检查网络",
    fix_en="try again; check the network if it repeats")
REPLY_IS_HTML = Text(
    "api.reply_is_html",
    zh="服务器回复不是 JSON（HTML 页面：“{snippet}”）",
    en="the server's reply is not JSON (an HTML page: “{snippet}”)",
    fix_zh="可能是网络认证页面、代理或服务地址错误：请先登录网络或检查服务地址",
    fix_en="a captive portal, proxy or wrong endpoint answered: log in to the network or check "
           "the endpoint URL")
REPLY_NOT_JSON = Text(
    "api.reply_not_json",
    zh="服务器回复不是 JSON（无法解析：“{snippet}”）",
    en="the server's reply is not JSON (unreadable: “{snippet}”)",
    fix_zh="可能是网络认证页面、代理或服务地址错误：请先登录网络或检查服务地址",
    fix_en="a captive portal, proxy or wrong endpoint answered: log in to the network or check "
           "the endpoint URL")
REPLY_TOO_LARGE = Text(
    "api.reply_too_large",
    zh="服务器回复超过 {megabytes} MB，不是正常的服务回复",
    en="the reply is over {megabytes} MB, which no service reply is",
    fix_zh="请检查服务地址",
    fix_en="check the endpoint URL")
REPLY_TOO_DEEP = Text(
    "api.reply_too_deep",
    zh="服务器回复嵌套超过 {depth} 层，不是正常的服务回复",
    en="the server's reply is nested more than {depth} levels deep, which no service reply is",
    fix_zh="请检查服务地址",
    fix_en="check the endpoint URL")
REPLY_NESTED_TOO_DEEPLY = Text(
    "api.reply_nested_too_deeply",
    zh="服务器回复是 JSON，但不是服务的回复（嵌套过深）",
    en="the server's reply is JSON but not a service reply (nested too deeply)",
    fix_zh="请检查服务地址",
    fix_en="check the endpoint URL")
REPLY_WITHOUT_CODE = Text(
    "api.reply_without_code",
    zh="服务器回复是 JSON，但不是服务的回复（没有 code 字段）",
    en="the server's reply is JSON but not a service reply (no 'code' field)",
    fix_zh="请检查服务地址",
    fix_en="check the endpoint URL")
CODE_NOT_A_NUMBER = Text(
    "api.code_not_a_number",
    zh="回复中的 code {value} 不是数字",
    en="the reply's code {value} is not a number",
    fix_zh="请检查服务地址",
    fix_en="check the endpoint URL")
DIGITS_NOT_FOUR = Text(
    "api.digits_not_four",
    zh="回复中的数字（data.validate_data）不是四位 0-9 数字：{value}",
    en="the reply's digits (data.validate_data) are not four digits 0-9: {value}",
    fix_zh="请重试；若反复出现请检查服务地址",
    fix_en="try again; check the endpoint URL if it repeats")
DIGITS_MISSING = Text(
    "api.digits_missing",
    zh="回复中的数字（data.validate_data）不是四位 0-9 数字：没有内容",
    en="the reply's digits (data.validate_data) are not four digits 0-9: nothing",
    fix_zh="请重试；若反复出现请检查服务地址",
    fix_en="try again; check the endpoint URL if it repeats")
VIDEO = Text("api.video", zh="视频", en="video")
# About one false accept in how many people, by threshold (api.limits.FALSE_ACCEPT_RATE).
ONE_IN_1000 = Text("api.one_in_1000", zh="千分之一", en="1 in 1,000")
ONE_IN_10000 = Text("api.one_in_10000", zh="万分之一", en="1 in 10,000")
