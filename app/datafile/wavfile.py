"""WAV, parsed here (the standard library reads PCM integers only): RIFF chunks walked to 'data', PCM 8/16/24/32-bit
and IEEE float 32/64-bit, plain or EXTENSIBLE, memory-mapped and converted slice by slice."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import contract
from .common import CONVERT_SAMPLES, DataError, Progress, Raw

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_IEEE_FLOAT = 0x0003
WAVE_FORMAT_EXTENSIBLE = 0xFFFE
PCM_BITS = (8, 16, 24, 32)
FLOAT_BITS = (32, 64)


@dataclass
class WavFormat:
    tag: int
    channels: int
    rate: int
    block_align: int
    bits: int
    data_offset: int
    data_size: int


def read_wav_header(path: Path) -> WavFormat:
    """Walk a RIFF/WAVE file's chunks up to 'data'; every problem names the chunk, field or byte."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12:
            raise DataError(f"truncated: {len(head)} bytes, shorter than a WAV header (12)")
        if head[:4] == b"RF64":
            raise DataError("bytes 0-3: an RF64 (over 4 GB) WAV is not supported")
        if head[:4] != b"RIFF":
            raise DataError(f"bytes 0-3: {head[:4]!r} is not 'RIFF': not a WAV file")
        if head[8:12] != b"WAVE":
            raise DataError(f"bytes 8-11: {head[8:12]!r} is not 'WAVE': not a WAV file")
        fmt = None
        pos = 12
        while True:
            f.seek(pos)
            chunk = f.read(8)
            if len(chunk) < 8:
                raise DataError("truncated: no 'data' chunk" + ("" if fmt else " and no 'fmt ' chunk"))
            cid, csize = struct.unpack("<4sI", chunk)
            if cid == b"fmt ":
                if csize < 16:
                    raise DataError(f"'fmt ' chunk at byte {pos}: {csize} bytes, at least 16 expected")
                body = f.read(min(csize, 40))
                if len(body) < 16:
                    raise DataError(f"truncated: the 'fmt ' chunk at byte {pos} is cut short")
                tag, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", body[:16])
                if tag == WAVE_FORMAT_EXTENSIBLE:
                    if len(body) < 40:
                        raise DataError(
                            f"'fmt ' chunk at byte {pos}: EXTENSIBLE but {len(body)} bytes (40 expected)"
                        )
                    tag = struct.unpack("<H", body[24:26])[
                        0
                    ]  # the sub-format GUID starts with the format tag
                fmt = (tag, channels, rate, block_align, bits)
            elif cid == b"data":
                if fmt is None:
                    raise DataError(f"'data' chunk at byte {pos} comes before any 'fmt ' chunk")
                tag, channels, rate, block_align, bits = fmt
                return WavFormat(tag, channels, rate, block_align, bits, pos + 8, csize)
            pos += 8 + csize + (csize & 1)
            if pos > size:
                raise DataError(
                    f"truncated: the {cid.decode('latin-1')!r} chunk runs past the end of the file"
                )


def load_wav(path: Path, progress: Progress) -> Raw:
    size = path.stat().st_size
    w = read_wav_header(path)
    top = contract.CHANNELS[1]
    if w.channels == 0:
        raise DataError("'fmt ' chunk: 0 channels")
    if w.channels > top:
        raise DataError(f"'fmt ' chunk: {w.channels} channels; at most {top}")
    if w.rate == 0:
        raise DataError("'fmt ' chunk: sample rate 0")
    ok = (w.tag == WAVE_FORMAT_PCM and w.bits in PCM_BITS) or (
        w.tag == WAVE_FORMAT_IEEE_FLOAT and w.bits in FLOAT_BITS
    )
    if not ok:
        raise DataError(
            f"'fmt ' chunk: format 0x{w.tag:04x} with {w.bits}-bit samples is not supported "
            "(PCM 8/16/24/32-bit integers, IEEE float 32/64-bit)"
        )
    width = w.bits // 8
    if w.block_align != w.channels * width:
        raise DataError(f"'fmt ' chunk: block align {w.block_align}, expected {w.channels} x {width} bytes")
    have = size - w.data_offset
    if w.data_size > have:
        raise DataError(
            f"truncated: the 'data' chunk says {w.data_size:,} bytes but the file holds {have:,} "
            f"({have // w.block_align:,} of {w.data_size // w.block_align:,} frames)"
        )
    if w.data_size % w.block_align:
        raise DataError(
            f"'data' chunk: {w.data_size:,} bytes is not a whole number of {w.block_align}-byte frames "
            "(truncated mid-frame)"
        )
    frames = w.data_size // w.block_align
    if frames == 0:
        raise DataError("'data' chunk: no samples")
    if frames * w.channels > contract.DATA_MAX_SAMPLES:
        raise DataError(
            f"{w.channels} x {frames:,} = {frames * w.channels:,} samples; at most {contract.DATA_MAX_SAMPLES:,}"
        )
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=w.data_offset, shape=(w.data_size,))
    values = np.empty((w.channels, frames), dtype=np.float32)
    step = max(1, CONVERT_SAMPLES // w.channels)
    for a in range(0, frames, step):
        b = min(frames, a + step)
        block = raw[a * w.block_align : b * w.block_align]
        values[:, a:b] = _wav_samples(block, w).reshape(b - a, w.channels).T
        if progress:
            progress(b / frames)
    names = ["left", "right"] if w.channels == 2 else [f"ch{i + 1}" for i in range(w.channels)]
    return Raw(values, names, float(w.rate), None, lambda i: f"frame {i + 1:,}")


def _wav_samples(block: np.ndarray, w: WavFormat) -> np.ndarray:
    """Interleaved samples of a byte block as float32 (integers scaled to [-1, 1))."""
    if w.tag == WAVE_FORMAT_IEEE_FLOAT:
        return block.view("<f4" if w.bits == 32 else "<f8").astype(np.float32)
    if w.bits == 8:  # unsigned, offset by 128
        return (block.astype(np.float32) - 128.0) / 128.0
    if w.bits == 16:
        return block.view("<i2").astype(np.float32) / 32768.0
    if w.bits == 32:
        return (block.view("<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
    b = block.reshape(-1, 3).astype(np.int32)  # 24-bit little-endian: assemble, then sign-extend
    ints = (b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8
    return ints.astype(np.float32) / 8388608.0
