<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>BusyScreen</name>
    <message>
        <location filename="../screens/review.py" line="154" />
        <source>Getting your code…</source>
        <translation>正在获取数字码…</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="155" />
        <source>Checking the recording…</source>
        <translation>正在检查录像…</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="156" />
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="157" />
        <source>Waiting for the result…</source>
        <translation>正在等待核验结果…</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="158" />
        <source>Comparing the photo…</source>
        <translation>正在比对照片…</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="162" />
        <source>%1 of %2 KB sent</source>
        <translation>已发送 %1 / %2 KB</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="165" />
        <source>about %1 s left</source>
        <translation>约剩 %1 秒</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="169" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CaptureScreen</name>
    <message>
        <location filename="../screens/capture.py" line="197" />
        <source>Digits hidden</source>
        <translation>数字暂不显示</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="270" />
        <source>Good. Hold still.</source>
        <translation>很好，请保持不动。</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="326" />
        <source>The microphone is not working. Please wait: staff will help you.</source>
        <translation>麦克风无法使用。请稍候，工作人员会来帮助您。</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="330" />
        <source>Come closer to the microphone and speak up</source>
        <translation>请靠近麦克风大声说话</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="332" />
        <source>Please say hello a little louder</source>
        <translation>请再大声一点说：你好</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="334" />
        <source>Come closer to the microphone and say hello</source>
        <translation>请靠近麦克风说：你好</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="335" />
        <source>Please say: hello</source>
        <translation>请说：你好</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="340" />
        <source>✗ The microphone has stopped working</source>
        <translation>✗ 麦克风已停止工作</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="342" />
        <source>Voice test skipped by staff</source>
        <translation>工作人员已跳过声音测试</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="344" />
        <source>✓ Your voice is clear</source>
        <translation>✓ 声音清晰</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="346" />
        <source>Your voice is too quiet</source>
        <translation>声音太小</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="348" />
        <source>Too much noise around you</source>
        <translation>周围太吵</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="350" />
        <source>Say "hello" to test the microphone</source>
        <translation>说一声“你好”，测试麦克风</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="356" />
        <source>For staff: %1</source>
        <translation>工作人员：%1</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="368" />
        <source>The microphone is not working</source>
        <translation>麦克风无法使用</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="372" />
        <source>First place your face in the oval</source>
        <translation>请先把脸放进椭圆框</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="374" />
        <source>First say: hello</source>
        <translation>请先说：你好</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="376" />
        <source>Face in the oval, then say hello</source>
        <translation>请先把脸放进椭圆框，再说：你好</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="393" />
        <source>When the oval turns green and your voice is heard, press "I am ready".</source>
        <translation>椭圆框变绿、并听到您的声音后，请按“我准备好了”。</translation>
    </message>
    <message numerus="yes">
        <location filename="../screens/capture.py" line="402" />
        <source>Recording starts in %n second(s)</source>
        <translation>
            <numerusform>%n 秒后开始录制</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../screens/capture.py" line="405" />
        <source>Recording: %n second(s) left</source>
        <translation>
            <numerusform>正在录制：还剩 %n 秒</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="449" />
        <source>Please take the card photo again</source>
        <translation>请重新拍摄身份证照片</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="450" />
        <source>The service could not use this photo:</source>
        <translation>这张照片无法使用：</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="452" />
        <source>Is the card photo clear?</source>
        <translation>身份证照片清楚吗？</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="453" />
        <source>The photo and the face on it must be sharp, without reflections.</source>
        <translation>照片和人像须清晰、无反光。</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="457" />
        <source>Photo side towards the camera, inside the card frame. The photo is taken when the card is sharp.</source>
        <translation>人像面朝向镜头，放在卡片框内。画面清晰时自动拍照。</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="389" />
        <source>Place your face in the oval</source>
        <translation>请将面部置于椭圆框内</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="432" />
        <source>Voice level</source>
        <translation>音量</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="370" />
        <source>I am ready</source>
        <translation>我准备好了</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="433" />
        <source>Staff: skip the voice test</source>
        <translation>工作人员：跳过声音测试</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="434" />
        <source>Skip the voice test (staff only)</source>
        <translation>跳过声音测试（仅限工作人员）</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="437" />
        <source>Read the digits aloud now</source>
        <translation>现在请朗读</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="440" />
        <source>Get ready to read</source>
        <translation>准备朗读</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="441" />
        <source>The digits appear when the recording starts</source>
        <translation>数字将在录制开始时出现</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="444" />
        <source>● Recording</source>
        <translation>● 正在录制</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="445" />
        <source>Recording now</source>
        <translation>正在录制</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="446" />
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="447" />
        <source>Your voice</source>
        <translation>您的音量</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="392" />
        <location filename="../screens/capture.py" line="456" />
        <source>Hold the ID card up to the camera</source>
        <translation>请将身份证对准摄像头</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="460" />
        <source>Look at the camera</source>
        <translation>请看向摄像头</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="461" />
        <source>Place your face in the oval, then take the photo.</source>
        <translation>请将面部置于椭圆框内，然后拍照。</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="462" />
        <source>Take the photo</source>
        <translation>拍照</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="463" />
        <source>Use this photo</source>
        <translation>使用这张照片</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="464" />
        <source>Retake</source>
        <translation>重拍</translation>
    </message>
    <message>
        <location filename="../screens/capture.py" line="465" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ChecksScreen</name>
    <message>
        <location filename="../screens/review.py" line="66" />
        <source>The recording cannot be used yet</source>
        <translation>这段录像暂时无法使用</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="67" />
        <source>Nothing was sent. The local check found:</source>
        <translation>尚未发送任何内容。本地检查发现：</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="70" />
        <source>The recording has been deleted.</source>
        <translation>录像已删除。</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="71" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../screens/review.py" line="72" />
        <source>Try again</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../screens/consent.py" line="121" />
        <source>Please go to the counter</source>
        <translation>请到柜台办理</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="124" />
        <source>Before we start: your consent</source>
        <translation>开始之前：请阅读并确认</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="126" />
        <source>Consent notice</source>
        <translation>告知同意书</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="130" />
        <source>No operator PIN is set, so a guardian's consent cannot be confirmed here. Please go to the counter.</source>
        <translation>未设置操作员 PIN，本机无法确认监护人同意。请到柜台办理。</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="134" />
        <source>This person is under 14: a parent or guardian must agree. Staff confirm it with the operator PIN.</source>
        <translation>您未满 14 周岁：须由父母或其他监护人同意，并由工作人员输入操作员 PIN 确认。</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="137" />
        <source>Guardian agrees (staff PIN)</source>
        <translation>监护人同意（工作人员 PIN）</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="139" />
        <source>A guardian agrees; staff confirm with the operator PIN</source>
        <translation>监护人同意；由工作人员输入操作员 PIN 确认</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="141" />
        <source>I agree</source>
        <translation>我同意</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="142" />
        <source>I agree: start the camera</source>
        <translation>我同意：开启摄像头</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="143" />
        <source>I decline</source>
        <translation>我不同意</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="144" />
        <source>I decline: no camera, staff will verify me</source>
        <translation>我不同意：不开启摄像头，由工作人员为我核验</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="145" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="146" />
        <source>Back to the details</source>
        <translation>返回填写信息</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="147" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="148" />
        <source>Done: back to the start</source>
        <translation>完成：返回首页</translation>
    </message>
    <message>
        <location filename="../screens/consent.py" line="151" />
        <source>Nothing was recorded. Staff at the counter will verify your identity another way.</source>
        <translation>未采集任何资料。柜台工作人员将用其他方式为您核验身份。</translation>
    </message>
</context>
<context>
    <name>DetailsScreen</name>
    <message numerus="yes">
        <location filename="../screens/details.py" line="189" />
        <source>%n of 18 characters</source>
        <translation>
            <numerusform>已输入 %n / 18 位</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="228" />
        <source>Reading the card… keep it on the reader.</source>
        <translation>正在读卡…请不要移开身份证。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="236" />
        <source>Card read. Check the details, then press Continue.</source>
        <translation>已读取身份证。请核对信息，然后点“继续”。</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="261" />
        <source>Your details</source>
        <translation>填写您的信息</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="262" />
        <location filename="../screens/details.py" line="281" />
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="263" />
        <location filename="../screens/details.py" line="282" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="264" />
        <source>18 characters, as on the ID card</source>
        <translation>18 位，与身份证上一致</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="265" />
        <source>As on the ID card</source>
        <translation>与身份证上一致</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="266" />
        <source>Card photo</source>
        <translation>证件照片</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="267" />
        <source>Your photo</source>
        <translation>您的照片</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="269" />
        <source>No photo: the camera takes one after Continue</source>
        <translation>未选择照片：继续后将用摄像头拍摄</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="271" />
        <source>After Continue, hold your ID card up to the camera</source>
        <translation>点“继续”后，请把身份证对准镜头</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="273" />
        <source>No photo yet</source>
        <translation>尚未选择照片</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="276" />
        <source>Staff: choose a file</source>
        <translation>工作人员：选择文件</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="277" />
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="278" />
        <source>Use the camera</source>
        <translation>用摄像头拍摄</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="279" />
        <source>Read ID card</source>
        <translation>读取身份证</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="280" />
        <source>Read the ID card on the reader</source>
        <translation>读取读卡器上的身份证</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="283" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../screens/details.py" line="284" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message>
        <location filename="../idle.py" line="142" />
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message numerus="yes">
        <location filename="../idle.py" line="144" />
        <source>For your privacy, everything you entered will be cleared in %n second(s).</source>
        <translation>
            <numerusform>为保护您的隐私，您输入的所有信息将在 %n 秒后清除。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../idle.py" line="146" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../keypad.py" line="67" />
        <source>delete last character</source>
        <translation>删除前一个字符</translation>
    </message>
    <message>
        <location filename="../keypad.py" line="69" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../keypad.py" line="70" />
        <source>clear the ID number</source>
        <translation>清空身份证号码</translation>
    </message>
    <message>
        <location filename="../keypad.py" line="72" />
        <source>letter X</source>
        <translation>字母 X</translation>
    </message>
    <message>
        <location filename="../keypad.py" line="74" />
        <source>digit %1</source>
        <translation>数字 %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../window.py" line="326" />
        <source>Choose a photo</source>
        <translation>选择照片</translation>
    </message>
    <message>
        <location filename="../window.py" line="327" />
        <source>Pictures (*.jpg *.jpeg *.png *.bmp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp)</translation>
    </message>
    <message>
        <location filename="../window.py" line="410" />
        <source>No operator PIN is set: set one below.</source>
        <translation>尚未设置操作员 PIN：请在下方设置。</translation>
    </message>
    <message>
        <location filename="../window.py" line="455" />
        <source>Saved. The next verification uses these settings.</source>
        <translation>已保存。下一次核验将使用这些设置。</translation>
    </message>
    <message>
        <location filename="../window.py" line="490" />
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <location filename="../window.py" line="491" />
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../window.py" line="503" />
        <source>%1 rows written to %2</source>
        <translation>已将 %1 条记录写入 %2</translation>
    </message>
    <message>
        <location filename="../window.py" line="515" />
        <source>The attempt limits could not be reset.</source>
        <translation>无法重置尝试次数。</translation>
    </message>
    <message>
        <location filename="../window.py" line="518" />
        <source>Attempt limits reset.</source>
        <translation>已重置尝试次数。</translation>
    </message>
    <message>
        <location filename="../window.py" line="562" />
        <source>Identity verification</source>
        <translation>身份核验</translation>
    </message>
    <message>
        <location filename="../window.py" line="564" />
        <source>DEMO — no service credentials are set: results come from the local emulator</source>
        <translation>演示模式 — 未设置服务凭据：结果来自本地模拟服务</translation>
    </message>
</context>
<context>
    <name>OperatorPanel</name>
    <message>
        <location filename="../screens/operator.py" line="230" />
        <source>Photo compared with the ID record</source>
        <translation>照片与身份证信息比对</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="231" />
        <source>Video compared with the card photo</source>
        <translation>视频与证件照片比对</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="232" />
        <source>Video compared with the ID record</source>
        <translation>视频与身份证信息比对</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="242" />
        <source>Mode</source>
        <translation>核验方式</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="243" />
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="243" />
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="241" />
        <source>Service URL</source>
        <translation>服务地址</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="213" />
        <source>Saved, except the values marked in red: correct them and save again.</source>
        <translation>已保存，红色标出的值除外：请更正后再次保存。</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="224" />
        <source>Nothing saved: correct the values marked in red.</source>
        <translation>未保存：请更正红色标出的值。</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="233" />
        <source>Video, liveness only (no identity compared)</source>
        <translation>视频，仅活体检测（不比对身份）</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="234" />
        <source>As the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="239" />
        <source>Operator desk</source>
        <translation>操作员工作台</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="241" />
        <source>AppId</source>
        <translation>AppId</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="241" />
        <source>SecretId</source>
        <translation>SecretId</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="242" />
        <source>SecretKey</source>
        <translation>SecretKey</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="242" />
        <source>Bucket</source>
        <translation>存储桶</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="244" />
        <source>Clip length (s)</source>
        <translation>录制时长（秒）</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="244" />
        <source>Clip format</source>
        <translation>视频格式</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="245" />
        <source>Similarity threshold</source>
        <translation>相似度阈值</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="245" />
        <source>Attempt limit</source>
        <translation>尝试次数上限</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="246" />
        <source>Attempt window (min)</source>
        <translation>尝试统计时间窗（分钟）</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="246" />
        <source>Show the score</source>
        <translation>显示相似度</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="247" />
        <source>Result shown (s)</source>
        <translation>结果停留（秒）</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="247" />
        <source>Recording tone</source>
        <translation>录制提示音</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="248" />
        <source>Keep clips (days)</source>
        <translation>视频保留（天）</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="249" />
        <source>Consent notice file</source>
        <translation>告知同意书文件</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="249" />
        <source>Idle timeout (s)</source>
        <translation>无操作超时（秒）</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="250" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="250" />
        <source>ID card reader</source>
        <translation>身份证读卡器</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="251" />
        <source>New PIN</source>
        <translation>新 PIN</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="261" />
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="264" />
        <source>(stored; type to replace)</source>
        <translation>（已保存；输入新值以替换）</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="265" />
        <source>(not set)</source>
        <translation>（未设置）</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="266" />
        <source>4-12 digits; empty keeps the PIN</source>
        <translation>4-12 位数字；留空则不修改</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="267" />
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="267" />
        <source>Capture</source>
        <translation>采集</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="268" />
        <source>Checks</source>
        <translation>核验</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="268" />
        <source>Session and privacy</source>
        <translation>会话与隐私</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="269" />
        <source>Kiosk</source>
        <translation>自助终端</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="269" />
        <source>Self-test</source>
        <translation>自检</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="273" />
        <source>Self-test: camera, microphone, ffmpeg, service, TLS, signature and clock</source>
        <translation>自检：摄像头、麦克风、ffmpeg、服务、TLS、签名和时钟</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="274" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="275" />
        <source>Quit the kiosk</source>
        <translation>退出自助终端</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="276" />
        <source>Quit the kiosk application</source>
        <translation>退出自助终端程序</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="277" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="278" />
        <source>Save the settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="279" />
        <source>Today's sessions</source>
        <translation>今日核验记录</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="280" />
        <source>Today's sessions from the audit log</source>
        <translation>审计日志中的今日核验记录</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="281" />
        <source>Reset attempt limits</source>
        <translation>重置尝试次数</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="283" />
        <source>Reset attempt limits: everyone stopped after repeated failures may try again</source>
        <translation>重置尝试次数：因多次未通过而被暂停的人可以再次尝试</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <location filename="../screens/operator.py" line="97" />
        <source>Operator PIN</source>
        <translation>操作员 PIN</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="99" />
        <source>Wrong PIN. Try again.</source>
        <translation>PIN 错误，请重试。</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="100" />
        <source>Too many wrong PINs. Wait a minute, then try again.</source>
        <translation>PIN 错误次数过多，请一分钟后再试。</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="102" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../screens/operator.py" line="103" />
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../screens/result.py" line="190" />
        <source>not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="192" />
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="193" />
        <source>code %1: %2</source>
        <translation>错误码 %1：%2</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="198" />
        <source>Could not complete the check</source>
        <translation>未能完成核验</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="201" />
        <source>Please go to the counter</source>
        <translation>请到柜台办理</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="204" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="207" />
        <source>Live person confirmed</source>
        <translation>已确认为真人</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="208" />
        <source>Liveness not confirmed</source>
        <translation>未能确认为真人</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="219" />
        <source>reference %1</source>
        <translation>参考号 %1</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="224" />
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="225" />
        <source>Liveness</source>
        <translation>活体检测</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="226" />
        <source>Face comparison</source>
        <translation>人脸比对</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="227" />
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="228" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="211" />
        <source>Verified</source>
        <translation>核验通过</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="211" />
        <source>Not verified</source>
        <translation>核验未通过</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="229" />
        <source>Staff details</source>
        <translation>工作人员查看</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="230" />
        <source>Details for staff (operator PIN)</source>
        <translation>工作人员查看详情（需操作员 PIN）</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="238" />
        <source>For staff: </source>
        <translation>供工作人员：</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="240" />
        <source>For staff: %1</source>
        <translation>工作人员：%1</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="244" />
        <source>Not recorded: this result could not be saved in the audit log; please tell the staff</source>
        <translation>未记录：本次结果未能写入审计日志，请告知工作人员</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="245" />
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="251" />
        <source>not measured</source>
        <translation>未测得</translation>
    </message>
    <message>
        <location filename="../screens/result.py" line="253" />
        <source>%1 (at least %2 needed)</source>
        <translation>%1（至少需要 %2）</translation>
    </message>
</context>
<context>
    <name>SelfTestPage</name>
    <message>
        <location filename="../screens/self_test.py" line="84" />
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="84" />
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="84" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="88" />
        <source>Settings file</source>
        <translation>设置文件</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="88" />
        <source>Secret key store</source>
        <translation>密钥存储</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="89" />
        <source>Consent notice</source>
        <translation>告知同意书</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="89" />
        <source>ffmpeg</source>
        <translation>ffmpeg</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="90" />
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="90" />
        <source>Microphones</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="91" />
        <source>Camera picture</source>
        <translation>摄像头画面</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="91" />
        <source>Microphone level</source>
        <translation>麦克风音量</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="92" />
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="92" />
        <source>Service and TLS</source>
        <translation>服务与 TLS</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="93" />
        <source>Clock</source>
        <translation>时钟</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="93" />
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="112" />
        <source>Fix: %1</source>
        <translation>处理方法：%1</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="126" />
        <source>Checking… %1 done</source>
        <translation>正在检查…已完成 %1 项</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="128" />
        <source>Not run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="130" />
        <source>%1 failed, %2 warnings, %3 OK</source>
        <translation>%1 项失败，%2 项警告，%3 项正常</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="133" />
        <source>All %1 checks OK</source>
        <translation>全部 %1 项检查正常</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="135" />
        <source>Run again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <location filename="../screens/self_test.py" line="136" />
        <source>Run the self-test again</source>
        <translation>重新运行自检</translation>
    </message>
</context>
<context>
    <name>SessionsScreen</name>
    <message>
        <location filename="../screens/sessions.py" line="99" />
        <source>verified</source>
        <translation>核验通过</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="99" />
        <source>not verified</source>
        <translation>核验未通过</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="100" />
        <source>not verified (refused)</source>
        <translation>核验未通过（服务拒绝）</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="100" />
        <source>not sent (local check)</source>
        <translation>未上传（本地检查）</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="101" />
        <source>could not check</source>
        <translation>未能完成核验</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="101" />
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="102" />
        <source>consent declined</source>
        <translation>未同意采集</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="102" />
        <source>attempt limit</source>
        <translation>尝试次数已达上限</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="106" />
        <source>photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="106" />
        <source>card</source>
        <translation>证件照</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="107" />
        <source>video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="107" />
        <source>liveness</source>
        <translation>活体</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="110" />
        <source>yes</source>
        <translation>同意</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="110" />
        <source>guardian</source>
        <translation>监护人</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="110" />
        <source>no</source>
        <translation>不同意</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="114" />
        <location filename="../screens/sessions.py" line="121" />
        <source>Today's sessions</source>
        <translation>今日核验记录</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="116" />
        <source>%1 sessions today, %2 verified</source>
        <translation>今天 %1 次核验，%2 次通过</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="119" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="119" />
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="119" />
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="119" />
        <source>Code</source>
        <translation>错误码</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="120" />
        <source>ID number (masked)</source>
        <translation>身份证号（已遮掩）</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="120" />
        <source>Reference</source>
        <translation>参考号</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="120" />
        <source>Consent</source>
        <translation>同意</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="122" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="123" />
        <source>Back to the operator settings</source>
        <translation>返回操作员设置</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="124" />
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../screens/sessions.py" line="125" />
        <source>Export the audit log as a CSV file</source>
        <translation>将审计日志导出为 CSV 文件</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../screens/welcome.py" line="100" />
        <source>The verification service is connected.</source>
        <translation>核验服务已连接。</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="102" />
        <source>The verification service cannot be reached just now, so checks may not complete. Please ask a member of staff.</source>
        <translation>暂时无法连接核验服务，核验可能无法完成。请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="105" />
        <source>This kiosk is not set up to use the verification service. Please ask a member of staff.</source>
        <translation>本机尚未设置好核验服务。请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="112" />
        <source>Photo compared with the ID record</source>
        <translation>照片与身份证信息比对</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="113" />
        <source>Video compared with the card photo</source>
        <translation>视频与证件照片比对</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="114" />
        <source>Video compared with the ID record</source>
        <translation>视频与身份证信息比对</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="115" />
        <source>Video, liveness only (no identity compared)</source>
        <translation>视频，仅活体检测（不比对身份）</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="120" />
        <source>Identity verification</source>
        <translation>身份核验</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="122" />
        <source>Enter your ID details, then look at the camera for a photo.</source>
        <translation>请输入身份证信息，然后看向摄像头拍照。</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="125" />
        <source>You will look at the camera and read four digits aloud. It takes about one minute.</source>
        <translation>您将看着摄像头读出四位数字，约需一分钟。</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="129" />
        <source>You will enter your details, look at the camera and read four digits aloud. It takes about one minute.</source>
        <translation>您将输入个人信息，看向摄像头并大声朗读四位数字，全程约一分钟。</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="132" />
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="133" />
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../screens/welcome.py" line="137" />
        <source>Operator settings (PIN required)</source>
        <translation>操作员设置（需要 PIN）</translation>
    </message>
</context>
</TS>