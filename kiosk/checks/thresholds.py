"""Every limit the local checks hold input against, with where it came from and how it was tuned.

Sources (docs/thresholds.md names each publication): the API document and docs/protocol.md
(service limits), published figures on face quality, speech level and loudness,
and measurements on clips made with espeak-ng and sox at known levels and noise
(``tests/benchmarks/calibrate_thresholds.py`` reproduces them; the table is in docs/checks.md).
Levels are in dBFS with full scale = 1.0 (a full-scale square wave is 0 dBFS, a full-scale sine
-3 dBFS), the convention of sox's ``stats``; loudness in LUFS (ITU-R BS.1770-4,
measured by FFmpeg's ebur128 filter).
"""

from __future__ import annotations

# --- Request body (API document: "每个请求的包体大小限制为6MB"; docs/protocol.md: the whole body)
# "6MB" read the smaller way (10^6 bytes), so no reading of the limit lets a refused body through.
BODY_LIMIT_BYTES = 6_000_000
# Warn from here: a clip this close to the limit leaves no room for the card photo and framing.
BODY_WARN_BYTES = 5_000_000
# What multipart framing and the text fields add to the file's bytes when the caller does not
# know the exact total (boundaries, headers, appid, bucket, validate_data, ID number, name):
# measured at ~1.1 KB with requests-toolbelt; 4 KB leaves room for long field values.
MULTIPART_ALLOWANCE_BYTES = 4096

# --- Clip container and picture (docs/protocol.md) -------------------------------------------
# -5015 "最小 320X480", read as either orientation: short side >= 320, long side >= 480.
MIN_SHORT_SIDE = 320
MIN_LONG_SIDE = 480
# Containers the service names (mp4, avi, flv; the vendor's newer API, docs/protocol.md) as PyAV's
# demuxer names. Anything else is predicted as -5001.
ACCEPTED_CONTAINERS = ("mov", "mp4", "avi", "flv")
# A clip whose decodable frames stop short of the length its header declares is cut off
# (a killed recorder, a partial copy): -5001. 0.9 leaves room for the audio running a frame longer.
MIN_DECODED_FRACTION = 0.9

# --- Clip duration (docs/protocol.md, the vendor's newer lip-mode API: ~6 s asked, < 2 s "too short",
# 20 s maximum). This API states no range, so both ends only warn.
MIN_SECONDS = 2.0
MAX_SECONDS = 20.0

# --- Face in the clip (-5009) -----------------------------------------------------------------
# Frames sampled evenly over the clip for face detection. 10 frames cost ~50 ms; more did not
# change any verdict on the calibration clips.
FACE_SAMPLE_FRAMES = 10
# The service wants a face (and mouth) throughout. Block when fewer than half of the sampled
# frames show one (the person was mostly out of view); warn below 80 % (turned away for a while).
# The sample clip and every good calibration clip score 10/10; the 'no face' clip 0/10.
FACE_FRAMES_BLOCK = 0.5
FACE_FRAMES_WARN = 0.8
# Width the clip's frames are scaled to before the Haar cascade (24 px window, search step 1.2):
# at 240 px, faces down to 64 px wide at 640x480 (a person ~1 m from a webcam) are still found,
# at a little over half the cost of searching at 320 px.
CLIP_DETECT_WIDTH = 240

# --- Liveness (-5010 lips did not move, -5011 not a live person; kiosk.checks.liveness) --------
# Measured on the clips tests/unit/checks/test_liveness.py makes from the assets
# (assets/make_samples.py liveness_clips; the table is in docs/checks.md, "Liveness").
# Grey frames kept for the landmark pass: ~10 a second catches each spoken digit (0.3-0.5 s)
# two or three times; 640 px wide keeps a webcam face at 150 px or more, where dlib's 68-point
# model places the lips to about a pixel. 200 frames is 20 s, the longest clip the service takes.
LIVENESS_FPS = 10.0
LIVENESS_FRAME_WIDTH = 640
LIVENESS_MAX_FRAMES = 200
# dlib's HOG face detector finds faces from 80 px; it runs on a copy this wide (a 150 px face at
# 640 is 75 px there, found with the detector's own margin); in between, the box follows the
# eyes and nose (1 ms a frame, not 5). Once a second it looks whether the face is still there.
LIVENESS_DETECT_WIDTH = 320
LIVENESS_VERIFY_S = 1.0
# Mouth opening = the lower lip's distance from the nose tip over the distance between the eyes'
# centres (which does not change as the person comes closer). Its spread (90th minus 10th
# percentile) over the frames while speech is heard: the sample clip 0.046 (its jaw drops a few
# pixels with the voice), the card photo moved the same way with the jaw following the voice
# 0.048, with the jaw held still 0.016 (landmark jitter on H.264 frames), a repeated frame 0.003.
MIN_MOUTH_SPREAD = 0.025
# -5010 needs speech to judge the mouth by: at least this many frames with a face while the VAD
# hears speech (about 0.6 s, MIN_SPEECH_SECONDS); fewer, and -5013's warnings speak instead.
LIVENESS_MIN_SPEECH_FRAMES = 6
# A voice frame counts for the video frame within this distance: lips open a little before the
# sound starts and close after it.
LIVENESS_SPEECH_SLACK_S = 0.15
# Head motion: the median landmark shift between successive kept frames, over the eye distance;
# its 90th percentile over the clip. A repeated frame (a photo fed as video) measures 0.000; the
# sample clip's slow zoom and pan 0.040.
MIN_HEAD_MOTION = 0.01
# Eye opening (Soukupova and Cech's eye aspect ratio, EAR) spread over the clip: a blink moves it
# by 0.1-0.2; a repeated frame measures 0.013, the sample clip (no blink, only zoom) 0.023. Only
# a clip under all three limits (head, eyes, mouth) is a still picture.
MIN_EYE_SPREAD = 0.03

# --- Voice (-5007 no sound, -5013 too quiet, -5012 too noisy) --------------------------------
# Measured with tests/benchmarks/calibrate_thresholds.py: espeak-ng's Mandarin voice reading the
# four digits, set by sox to a known active level (WebRTC-VAD frames), over sox pink noise at a
# known RMS level, encoded to AAC under the sample clip's picture, measured by these checks.
# The figures quoted below are from that table (docs/checks.md has it whole).
#
# A track whose peak stays under this carries no sound at all (digital silence, a muted or
# unplugged microphone): -5007. Measured: digital silence through AAC peaks at -87 dBFS, pink
# noise at -85 dBFS RMS at -74; room tone at -65 dBFS RMS (quieter than any real room) at -53.5.
SILENCE_PEAK_DBFS = -60.0
# Integrated loudness (BS.1770, gated) of the whole clip. docs/thresholds.md: target active
# speech about -22 dBFS, good from -28 to -16. Measured: the digits read -0.7 to -1 LU under
# their active level (-22 dBFS active: -22.7 LUFS, the sample clip). Warn under -32 LUFS (10 dB
# under the target: -34 dBFS active reads -34.7 and warns), block under -40 LUFS (18 dB under:
# -42 dBFS active reads -42.8 and blocks; -38 reads -38.7 and only warns).
LOUDNESS_WARN_LUFS = -32.0
LOUDNESS_BLOCK_LUFS = -40.0
# Loud peaks: clipping distorts the digits; warn only (the service's nearest code is -5008, "not
# recognised"). espeak-ng's digits peak ~16 dB over their active level, so from -16 dBFS active
# they reach full scale and warn.
CLIP_PEAK_DBFS = -0.5
# Noise floor: the RMS of the quietest 10 % of 30 ms frames (the room between words). Measured
# 1.8-2.0 dB under the pink noise's set RMS level, from -58 to -20 dBFS (it is the quietest tenth).
NOISE_PERCENTILE = 10.0
# SNR = active speech level (WebRTC VAD frames, noise power subtracted) over the noise floor.
# docs/thresholds.md: speech stays intelligible up to ~45 dB(A) steady noise in a room where
# speech reaches ~60-65 dB(A), i.e. SNR >= ~15 dB. Warn under 15 dB; block under 6 dB together with
# a floor above -40 dBFS (a loud room, not a quiet voice: that is -5013's case). Measured with the
# voice at -22 dBFS: noise -37 dBFS gives SNR 17 (passes), -34 gives 14.2 and -31 10.3 (warn),
# -28 gives 6.0 (the edge), -25 gives 3.3 (blocks).
SNR_WARN_DB = 15.0
SNR_BLOCK_DB = 6.0
NOISE_BLOCK_DBFS = -40.0
# WebRTC VAD aggressiveness (0-3). Measured at 2: pink noise alone from -65 to -40 dBFS gives
# 0.09 s of "speech" in 5 s (the first three 30 ms frames, which the VAD calls speech before it
# adapts), while espeak-ng's digits are heard for 2.6-3.0 s from -16 down to
# -46 dBFS active (the VAD misses more only below that, where -5013 already blocks). Louder noise
# (-30 dBFS) fools it (3.6 s), and is then -5012 by the noise floor alone.
VAD_MODE = 2
# Less than this much speech in the whole clip: the four digits were probably not read (-5013
# is the closest code the service has for it); warn only. The four digits take ~3 s at espeak-ng's
# 110 words a minute; 0.6 s is less than one digit and a half. Below it the SNR is not judged.
MIN_SPEECH_SECONDS = 0.6

# --- The preview's voice test (kiosk.checks.voice_test) ----------------------------------------
# The person says "你好" before the recording; the test passes on what -5013 and -5012 would not
# warn about, judged on the last VOICE_TEST_WINDOW_S of sound a few times a second.
# Window: long enough for a greeting (~0.6-1 s) and for a tenth of it to be the room between
# words (the noise floor), short enough that a voice counts within a few seconds of being heard.
VOICE_TEST_WINDOW_S = 2.5
# Speech the VAD must hear in the window: a spoken "你好" gives 0.5-0.9 s (espeak-ng's: 0.7 s),
# pink noise at -65 to -40 dBFS at most 0.09 s (the VAD's first frames, before it adapts), so
# 0.4 s tells a greeting from a quiet room with room to spare on both sides.
VOICE_TEST_SPEECH_S = 0.4
# The clip's -5013 warns on its BS.1770 loudness (LOUDNESS_WARN_LUFS); the window has only the
# speech frames' active level. Measured: the digits read 0.7-1 LU under their active level, so the
# voice must be this much over the warn limit to predict no warning.
VOICE_TEST_LUFS_GAP_DB = 1.0

# --- Images (card photo, idcardcompare photo) -------------------------------------------------
# Formats the document's examples and the service's messages name. Other decodable formats warn.
ACCEPTED_IMAGE_FORMATS = ("JPEG", "PNG", "BMP")
# Smallest face the service's detector is known to find on card photos: the Haar cascade's 24 px
# window; a 358x441 card photo shows the face at ~190 px.
MIN_IMAGE_FACE_PX = 24
# Images are scaled so the long side is at most this before detection (speed; faces stay large).
IMAGE_DETECT_LONG_SIDE = 640

# --- Live per-frame guidance (docs/thresholds.md, "Face in the frame") -----------------------
# Frames are scaled to this width before the cascade: 160 px keeps a 150 px face (at 640) at 37 px,
# well above the 24 px window, and makes detection ~4x cheaper than at 320 px. Measured: faces
# from ~100 px wide (at 640) are found; smaller ones (a person over ~80 cm away) read as no face,
# whose hint brings the person to the oval anyway. 200 or 240 px found 77-86 px faces only
# unreliably and cost 1.7-1.9x as much on frames with nobody in view.
LIVE_DETECT_WIDTH = 160
# "Guide the person closer until the face box is at least ~150 px wide, warn below" (at 640x480),
# expressed as a share of the frame width so other resolutions scale.
LIVE_MIN_FACE_FRACTION = 150 / 640
# Too close: the face box is wider than this share of the frame width. A Haar box spans brows to
# chin and is square, and the head is ~1.5 times its height: at half the width of a 4:3 frame
# (320 px at 640x480) the head is ~480 px, as tall as the frame, so chin or forehead are cut off.
LIVE_MAX_FACE_FRACTION = 0.5
# The guide oval: centred, 1.618 times taller than wide (Amplify), as wide as 40 % of the frame.
OVAL_WIDTH_FRACTION = 0.40
OVAL_ASPECT = 1.618
# "Face fits": the face box's centre within this share of the oval's half-axes from its centre.
# Amplify's overlap test (IoU 0.6 between face and oval) assumes a face box as large as the oval;
# a Haar box covers brows to chin, so the centre offset is the test that works with it.
OVAL_CENTRE_TOLERANCE = 0.35
# OFIQ: mean face luminance well between 0.25 and 0.75 of full scale.
DARK_MEAN = 0.25 * 255
BRIGHT_MEAN = 0.75 * 255
# OFIQ/ICAO exposure: share of face pixels at luma <= 25 or >= 247; 1 % clipped is already poor.
CLIPPED_SHARE = 0.05

# --- The ID card held up to the camera (card mode, kiosk.checks.card_frame) -------------------
# The card frame drawn over the preview: ID-1's shape (ISO/IEC 7810, 85.6 x 54 mm), 70 % of the
# frame wide (at 640x480 a held card then shows its photo's face ~60 px wide, twice the cascade's
# window), and at most 80 % of the frame high (wide pictures are limited by their height).
CARD_ASPECT = 85.6 / 54.0
CARD_GUIDE_WIDTH_FRACTION = 0.70
CARD_GUIDE_MAX_HEIGHT_FRACTION = 0.80
# The card region is searched at this width: the card photo's face is ~16 % of the card's width
# (a 26 mm photo on 85.6 mm, the face half of it), so a card filling the frame gives ~50 px faces,
# and one at CARD_MIN_FILL still ~30 px, over the 24 px window.
CARD_DETECT_WIDTH = 320
# Face width / card width on a second-generation ID card (a 26 mm photo on 85.6 mm, the face a
# little over half of it): how the card's size is judged when its edges cannot be found.
CARD_FACE_SHARE = 0.17
# The card is near enough when it spans this share of the frame's width (the frame is 1.0 of
# it): at 0.6 the photo's face is ~40 px at 640 wide, the card photo ~120 px. Too close when its
# edges run out of the frame (1.15: 15 % bigger than the frame drawn). Measured: a card 0.45 of
# the picture wide fills 0.65 of the frame (ok), 0.35 fills 0.50 (too far), 0.9 fills 1.29.
CARD_MIN_FILL = 0.60
CARD_MAX_FILL = 1.15
# Glare: share of the card's pixels that are clipped white (luma >= 250). A printed card's
# lightest ink is ~235 under even light; a reflection of a lamp clips. Measured on the sample
# scenes: 0.0 % without glare, 17 % with a reflection over the photo (a fifth of the card). Over the
# face a smaller share already hides features the service compares (OFIQ's 1 % clipped = poor).
CARD_GLARE_SHARE = 0.03
CARD_FACE_GLARE_SHARE = 0.02
CARD_GLARE_LUMA = 250
# Sharpness: variance of the Laplacian of the card photo's face, scaled to 64 px wide (so the
# measure does not depend on how far the card is). Measured on tests/support/card_scene.py's
# frames: 317-468 sharp at every size from 0.45 to 0.75 of the frame, 184 at a Gaussian blur of
# sigma 1 px (text and face still crisp: accepted), 108 at 1.5, 86 at 2, 46 at 3 (refused).
CARD_SHARP_MIN = 150.0
CARD_FACE_NORM_PX = 64
# Too dark: the card's mean luma (a white card under light reads ~200; under 70 its photo is grey).
CARD_DARK_MEAN = 70.0
# The auto still: taken once the card has been ok this long (people hold a card steady for
# about a second after it is placed), the sharpest of the ok frames of that time.
CARD_HOLD_S = 0.7

# --- Voice level meter (docs/thresholds.md: RFC 7874, -22 dBFS +-6 dB) ------------------------
VOICE_TARGET_DBFS = -22.0
VOICE_LOW_DBFS = -28.0
VOICE_HIGH_DBFS = -16.0
# Level reported for an empty block or digital silence.
VOICE_FLOOR_DBFS = -100.0
# BS.1770's absolute gate: a measured loudness at or below it means no block had sound in it.
LOUDNESS_GATE_LUFS = -70.0


def apply_overrides(overrides: dict[str, float]) -> dict[str, float]:
    """Replace constants of this module by the operator's overrides (``thresholds.<name>``).

    Called once at start-up by the commands that judge input for the kiosk (check, verify, demo,
    gui), never by the emulator, which stands for the service. Returns what was applied; an
    unknown or non-numeric name raises KeyError, so a typo is never silently ignored.
    """
    applied: dict[str, float] = {}
    for name, value in overrides.items():
        current = globals().get(name.upper())
        if name.startswith("_") or isinstance(current, bool) or not isinstance(current, int | float):
            raise KeyError(name)
        applied[name.upper()] = type(current)(value)
    globals().update(applied)
    return applied
