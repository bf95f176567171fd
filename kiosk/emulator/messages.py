"""What the emulator says when it cannot start, use its data folder or enroll a person."""

from __future__ import annotations

from kiosk.texts import Text

# --- starting: the port, the scratch folder, the server thread ----------------------------

CANNOT_LISTEN = Text(
    "emulator.cannot_listen",
    zh="无法在 {host}:{port} 上监听（{reason}）",
    en="cannot listen on {host}:{port} ({reason})",
    fix_zh="请用 --port 换一个端口，或关闭占用该端口的程序",
    fix_en="choose another port with --port, or stop the program using this one")
NO_SCRATCH_FOLDER = Text(
    "emulator.no_scratch_folder",
    zh="无法在 {folder} 中创建私有临时文件夹（{reason}）",
    en="cannot create a private folder in {folder} ({reason})",
    fix_zh="请检查磁盘空间，以及 TMPDIR 和 kiosk 数据文件夹是否可写",
    fix_en="check that the disk is not full and that TMPDIR and the kiosk's data folder are "
           "writable")
# {reason} is the server thread's error; DID_NOT_START_IN_TIME when it gave none.
DID_NOT_START = Text(
    "emulator.did_not_start",
    zh="模拟服务未能启动（{reason}）",
    en="the emulator did not start ({reason})",
    fix_zh="详情请查看日志",
    fix_en="see the log for details")
DID_NOT_START_IN_TIME = Text(
    "emulator.did_not_start_in_time",
    zh="模拟服务未能启动（超时）",
    en="the emulator did not start (timed out)",
    fix_zh="详情请查看日志",
    fix_en="see the log for details")

# --- the data folder -----------------------------------------------------------------------

NO_DATA_FOLDER = Text(
    "emulator.no_data_folder",
    zh="{folder} 处没有模拟器数据目录",
    en="there is no emulator data folder at {folder}",
    fix_zh="请检查路径，或先创建该目录（mkdir，或先运行一次 'kiosk emulator --data 目录'）",
    fix_en="check the path, or create the folder first (mkdir, or start "
           "'kiosk emulator --data DIR' once)")
CANNOT_OPEN_DATABASE = Text(
    "emulator.cannot_open_database",
    zh="无法打开 {path}：{reason}",
    en="cannot open {path}: {reason}",
    fix_zh="请检查该目录可写、磁盘未满，且没有其他程序占用该文件",
    fix_en="check that the folder is writable, the disk not full, and that no other program "
           "holds the file")
DATABASE_DAMAGED = Text(
    "emulator.database_damaged",
    zh="{path} 已损坏或不是模拟器数据库（{reason}）",
    en="{path} is damaged or not an emulator database ({reason})",
    fix_zh="请将其移走（模拟器会新建登记库），或用 --data 指定其他目录",
    fix_en="move it away (the emulator then starts a fresh registry), or give another folder "
           "with --data")
DATA_FOLDER_IS_A_FILE = Text(
    "emulator.data_folder_is_a_file",
    zh="无法使用数据目录 {folder}：这是文件，不是文件夹",
    en="cannot use the data folder {folder}: a file, not a folder",
    fix_zh="请用 --data 指定可写的目录",
    fix_en="give a writable folder with --data")
CANNOT_USE_DATA_FOLDER = Text(
    "emulator.cannot_use_data_folder",
    zh="无法使用数据目录 {folder}：{reason}",
    en="cannot use the data folder {folder}: {reason}",
    fix_zh="请用 --data 指定可写的目录",
    fix_en="give a writable folder with --data")

# --- enrolling a person ---------------------------------------------------------------------

# What to do about an ID number or name the checks refuse (the problem is the finding's own text).
CHECK_ID_AND_NAME = Text(
    "emulator.check_id_and_name",
    zh="请检查 --id-number 和 --name",
    en="check --id-number and --name")
# {finding} is the local check's finding (.message_zh, .message_en).
PHOTO_NOT_ENROLLABLE = Text(
    "emulator.photo_not_enrollable",
    zh="该照片无法登记：{finding.message_zh}",
    en="the photo cannot be enrolled: {finding.message_en}",
    fix_zh="请使用清晰的正面 JPEG 或 PNG 人像照片",
    fix_en="use a clear, frontal JPEG or PNG portrait")
NO_FACE_TO_ENROLL = Text(
    "emulator.no_face_to_enroll",
    zh="人脸识别模型在照片中找不到可比对的人脸",
    en="the face recognition model finds no face to compare in the photo",
    fix_zh="请使用光线充足、清晰的正面人像照片",
    fix_en="use a clear, frontal portrait with the face well lit")
