"""webrtcvad comes from the ``webrtcvad-wheels`` distribution, whose metadata it reads for its
version; the contributed hook copies the metadata of ``webrtcvad``, which does not exist."""

from PyInstaller.utils.hooks import copy_metadata

datas = copy_metadata("webrtcvad-wheels")
