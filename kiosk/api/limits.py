"""The service's limits and the verdict thresholds, as numbers other packages can share.

The document says "6MB" for the whole request body, multipart framing included (docs/protocol.md). It
does not say whether a megabyte is 10^6 or 2^20 bytes; the client takes the stricter reading, so
a body the service might refuse with code 23 is never sent.
"""

from __future__ import annotations

from kiosk.api import messages

MAX_BODY_BYTES = 6 * 1000 * 1000

# docs/protocol.md, "Reading the verdict": the vendor recommends 70 (about 1 false accept in 1,000) and
# names 80 for about 1 in 10,000.
DEFAULT_THRESHOLD = 70
STRICT_THRESHOLD = 80
# About one false accept in how many, by threshold, for what the kiosk prints.
FALSE_ACCEPT_RATE = {DEFAULT_THRESHOLD: messages.ONE_IN_1000, STRICT_THRESHOLD: messages.ONE_IN_10000}
