"""Your own data (app/datafile/): every format loads to the same Dataset; every bad file gets one message
naming the place (line/column, field, chunk or byte)."""

from __future__ import annotations

import struct
import wave

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from app import contract, datafile
from app.datafile import DataError

ROOT = str(__import__("pathlib").Path(__file__).resolve().parents[2])


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def csv_text(rows: int, header="time,a,b", dt=0.01) -> str:
    return header + "\n" + "".join(f"{i * dt:.6f},{i},{-0.5 * i}\n" for i in range(rows))


def refused(path, *parts, rate=None):
    """Loading `path` raises one DataError whose message contains every part (the place, the reason)."""
    with pytest.raises(DataError) as info:
        datafile.load(path, rate=rate)
    message = str(info.value)
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    assert "\n" not in message
    return message


# --- CSV ------------------------------------------------------------------------------------------------


def test_csv_time_column_gives_rate_and_names(tmp_path):
    ds = datafile.load(write(tmp_path, "x.csv", csv_text(500)))
    assert ds.names == ("a", "b") and ds.rate == 100 and ds.length == 500 and ds.start is None
    assert ds.values.dtype == np.float32 and ds.values.shape == (2, 500)
    assert ds.values[0, 499] == 499 and ds.values[1, 2] == -1.0
    assert not ds.values.flags.writeable


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_csv_delimiter_is_sniffed(tmp_path, delim):
    text = csv_text(200).replace(",", delim)
    ds = datafile.load(write(tmp_path, "x.csv", text))
    assert ds.names == ("a", "b") and ds.values[0, 10] == 10


def test_csv_without_time_needs_a_rate_and_takes_it_from_the_flag(tmp_path):
    path = write(tmp_path, "x.csv", "p, q\n" + "1, 2\n" * 300)
    refused(path, "no sample rate", "--rate")
    ds = datafile.load(path, rate=250)
    assert ds.rate == 250 and ds.names == ("p", "q")


def test_csv_headerless_gets_channel_names(tmp_path):
    ds = datafile.load(write(tmp_path, "x.csv", "1,2,3\n4,5,6\n"), rate=10)
    assert ds.names == ("ch1", "ch2", "ch3") and ds.values[:, 1].tolist() == [4, 5, 6]


def test_csv_iso_timestamps_give_a_start_time(tmp_path):
    rows = "".join(f"2024-05-01T10:00:{i / 50:06.3f}Z,{i}\n" for i in range(200))
    ds = datafile.load(write(tmp_path, "x.csv", "timestamp,x\n" + rows))
    assert ds.rate == 50 and ds.start == pytest.approx(1714557600.0)


def test_csv_epoch_seconds_give_a_start_time(tmp_path):
    rows = "".join(f"{1.7e9 + i / 10:.3f},{i}\n" for i in range(100))
    ds = datafile.load(write(tmp_path, "x.csv", "time,x\n" + rows))
    assert ds.rate == 10 and ds.start == pytest.approx(1.7e9)


@pytest.mark.parametrize(
    "stamp, start",
    [
        ("2024-05-01T12:00:{s:06.3f}+02:00", 1714557600.0),  # an offset: the same instant in UTC
        ("2024-05-01 10:00:{s:06.3f}", 1714557600.0),  # no zone: read as UTC
        ("{ms:.0f}", 1714557600.0),  # epoch milliseconds
    ],
)
def test_csv_time_columns_in_other_notations_give_the_same_start(tmp_path, stamp, start):
    rows = "".join(stamp.format(s=i / 50, ms=1714557600000 + i * 20) + f",{i}\n" for i in range(100))
    ds = datafile.load(write(tmp_path, "x.csv", "time,x\n" + rows))
    assert ds.rate == 50 and ds.start == pytest.approx(start)


def test_csv_seconds_from_zero_have_no_start(tmp_path):
    rows = "".join(f"{i / 50:.3f},{i}\n" for i in range(100))
    assert datafile.load(write(tmp_path, "x.csv", "time,x\n" + rows)).start is None


def test_csv_short_gaps_are_nan_and_the_rate_flag_wins(tmp_path):
    text = "time,a\n0,1\n0.1,\n0.2,NaN\n0.3,4\n"
    ds = datafile.load(write(tmp_path, "x.csv", text), rate=20)
    assert np.isnan(ds.values[0, 1]) and np.isnan(ds.values[0, 2]) and ds.values[0, 3] == 4
    assert ds.rate == 20 and "the file says 10 Hz" in ds.notes[0]


def test_csv_chunks_keep_line_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(datafile.csvfile, "CSV_CHUNK_BYTES", 1024)  # many chunks
    lines = csv_text(3000).splitlines()
    lines[2500] = "25.0,7,oops"  # line 2501 (the header is line 1)
    path = write(tmp_path, "x.csv", "\n".join(lines) + "\n")
    refused(path, "x.csv: line 2,501, column 3 ('b'): 'oops' is not a number")
    lines[2500] = "25.0,7"
    refused(write(tmp_path, "y.csv", "\n".join(lines) + "\n"), "line 2,501 has 2 fields; the header has 3")
    ok = datafile.load(write(tmp_path, "z.csv", csv_text(3000)))
    assert ok.length == 3000 and ok.values[0, -1] == 2999


def test_csv_empty(tmp_path):
    refused(write(tmp_path, "x.csv", ""), "x.csv: the file is empty")
    refused(write(tmp_path, "h.csv", "a,b\n"), "no data")
    refused(write(tmp_path, "n.csv", "\n1,2\n"), "line 1 is empty")


def test_csv_huge_header(tmp_path):
    refused(write(tmp_path, "x.csv", "a" * 70_000 + "\n1\n"), "line 1", "longer than 65,536 bytes")
    name = "b" * 100
    refused(write(tmp_path, "y.csv", f"a,{name}\n1,2\n"), "line 1, column 2", "100 characters; at most 64")


def test_csv_too_many_columns(tmp_path):
    header = ",".join(f"c{i}" for i in range(20))
    refused(
        write(tmp_path, "x.csv", header + "\n" + ",".join("1" * 20) + "\n"),
        "line 1: 20 data columns; at most 16",
    )


def test_csv_duplicate_names(tmp_path):
    refused(write(tmp_path, "x.csv", "a,b,a\n1,2,3\n"), "line 1, column 3", "second channel named 'a'")


def test_csv_wrong_encoding(tmp_path):
    refused(write(tmp_path, "x.csv", "a,b\n1,2\n".encode("utf-16")), "line 1: the text is UTF-16")
    refused(
        write(tmp_path, "y.csv", "caf\xe9,b\n1,2\n".encode("latin-1")), "line 1, byte 4: 0xe9 is not UTF-8"
    )
    refused(write(tmp_path, "z.csv", b"a,b\n1,2\n3\xff,4\n"), "line 3", "not UTF-8", rate=5)


def test_csv_run_of_nan(tmp_path):
    rows = [f"{i},{i}" for i in range(3000)]
    for i in range(1000, 2200):
        rows[i] = f"{i},"
    path = write(tmp_path, "x.csv", "time,a\n" + "\n".join(rows) + "\n")
    refused(path, "line 1,002, channel 'a'", "run of 1,200 missing")
    refused(write(tmp_path, "y.csv", "a,b\n1,\n2,\n"), "channel 'b' holds no numbers", rate=1)


def test_csv_time_must_increase(tmp_path):
    refused(write(tmp_path, "x.csv", "time,a\n0,1\n1,2\n1,3\n"), "line 4: time 1 is not after the row before")
    refused(
        write(tmp_path, "y.csv", "time,a\n0,1\nsoon,2\n"), "line 3, column 1 ('time'): 'soon' is not a time"
    )


def test_csv_infinite_value(tmp_path):
    refused(write(tmp_path, "x.csv", "time,a\n0,1\n1,1e39\n"), "line 3, channel 'a'", "infinite")


def test_csv_irregular_rate_is_refused_not_rounded(tmp_path):
    rows = "".join(f"{i * 0.4},{i}\n" for i in range(100))  # 2.5 Hz
    refused(write(tmp_path, "x.csv", "time,a\n" + rows), "2.5 samples/s", "--rate")


def test_csv_over_the_sample_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(contract, "DATA_MAX_SAMPLES", 1000)
    refused(write(tmp_path, "x.csv", csv_text(600)), "600 rows x 2 channels = 1,200 samples; at most 1,000")


def test_csv_memory_stays_near_the_float32_size(tmp_path):
    """A 2M-row, 4-channel CSV (~60 MB of text), loaded in a fresh process (`python -m app.datafile`, so pyarrow's
    pool peak is this load's): numpy's peak is the float32 array plus a chunk, pyarrow only ever holds a chunk."""
    import re
    import subprocess
    import sys

    rows = 2_000_000
    rng = np.random.default_rng(1)
    block = rng.normal(size=(rows, 4)).astype(np.float32)
    path = tmp_path / "big.csv"
    np.savetxt(path, block, fmt="%.6g", delimiter=",", header="a,b,c,d", comments="")
    proc = subprocess.run(
        [sys.executable, "-m", "app.datafile", str(path), "--rate", "1000"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    found = re.search(
        r"float32 (\d+) MB; numpy peak (\d+) MB \(([\d.]+)x\); pyarrow pool peak (\d+) MB", proc.stdout
    )
    assert found, proc.stdout
    float32_mb, numpy_mb, ratio, arrow_mb = (float(g) for g in found.groups())
    assert float32_mb == 32
    assert numpy_mb <= float32_mb + 4 * datafile.CSV_CHUNK_BYTES / 1e6, (
        proc.stdout
    )  # the array + a few chunks
    assert ratio < 1.5, proc.stdout
    assert arrow_mb < 0.5 * float32_mb, proc.stdout
    assert numpy_mb + arrow_mb <= 2 * float32_mb
    ds = datafile.load(path, rate=1000)
    assert ds.length == rows and np.allclose(ds.values[:, 123_456], block[123_456], rtol=1e-5)


# --- NPY / NPZ ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["<f8", "<f4", "<i2", ">i4", "u1"])
def test_npy_dtypes_and_orientation(tmp_path, dtype):
    data = (np.arange(3000).reshape(3, 1000) % 100).astype(dtype)
    np.save(tmp_path / "cf.npy", data)
    np.save(tmp_path / "sf.npy", data.T)  # (samples, channels)
    np.save(tmp_path / "one.npy", data[1])
    for name in ("cf.npy", "sf.npy"):
        ds = datafile.load(tmp_path / name, rate=100)
        assert ds.values.shape == (3, 1000) and np.array_equal(ds.values, data.astype(np.float32))
    assert datafile.load(tmp_path / "one.npy", rate=5).values.shape == (1, 1000)


def test_npy_fortran_order(tmp_path):
    data = np.asfortranarray(np.arange(2000, dtype=np.float64).reshape(2, 1000))
    np.save(tmp_path / "f.npy", data)
    assert np.array_equal(datafile.load(tmp_path / "f.npy", rate=1).values, data.astype(np.float32))


def test_npy_malformed(tmp_path):
    data = np.zeros((2, 1000), dtype=np.float64)
    np.save(tmp_path / "ok.npy", data)
    whole = (tmp_path / "ok.npy").read_bytes()
    refused(write(tmp_path, "cut.npy", whole[:-100]), "cut.npy: truncated", "shape (2, 1000)", "15,900 bytes")
    np.save(tmp_path / "wide.npy", np.zeros((40, 50)))
    refused(tmp_path / "wide.npy", "40 channels; at most 16", rate=1)
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    refused(tmp_path / "obj.npy", "header", "Python objects")
    np.save(tmp_path / "str.npy", np.array(["a", "b"]))
    refused(tmp_path / "str.npy", "dtype <U1 is not real numbers")
    np.save(tmp_path / "cube.npy", np.zeros((2, 2, 2)))
    refused(tmp_path / "cube.npy", "shape (2, 2, 2)")
    refused(write(tmp_path, "junk.npy", b"\x93NUMPY\x01\x00garbage"), "header: not a valid .npy")
    np.save(tmp_path / "empty.npy", np.zeros((2, 0)))
    refused(tmp_path / "empty.npy", "holds no samples")


def test_npz_with_rate_names_and_time(tmp_path):
    data = np.vstack([np.sin(np.arange(800) / 10), np.cos(np.arange(800) / 10)])
    np.savez(tmp_path / "a.npz", data=data, rate=np.array(200), names=np.array(["sin", "cos"]))
    ds = datafile.load(tmp_path / "a.npz")
    assert ds.rate == 200 and ds.names == ("sin", "cos") and ds.values.shape == (2, 800)
    np.savez_compressed(tmp_path / "b.npz", x=data[0], y=data[1], t=1.7e9 + np.arange(800) / 40)
    ds = datafile.load(tmp_path / "b.npz")
    assert ds.names == ("x", "y") and ds.rate == 40 and ds.start == pytest.approx(1.7e9)


def test_npz_malformed(tmp_path):
    np.savez(tmp_path / "ragged.npz", x=np.zeros(10), y=np.zeros(9))
    refused(tmp_path / "ragged.npz", "field 'y': shape (9,)", rate=1)
    np.savez(tmp_path / "rate.npz", x=np.zeros(10), rate=np.array([1, 2]))
    refused(tmp_path / "rate.npz", "field 'rate'")
    np.savez(tmp_path / "names.npz", x=np.zeros((2, 10)), names=np.array(["a"]))
    refused(tmp_path / "names.npz", "field 'names': 1 names for 2 channels", rate=1)
    np.savez(tmp_path / "ok.npz", x=np.zeros(1000))
    whole = (tmp_path / "ok.npz").read_bytes()
    refused(write(tmp_path, "cut.npz", whole[: len(whole) // 2]), "cut.npz", "npz")
    np.savez(tmp_path / "meta.npz", rate=np.array(5))
    refused(tmp_path / "meta.npz", "no data fields")


# --- WAV ------------------------------------------------------------------------------------------------


def wav_bytes(
    frames: np.ndarray, rate: int, bits: int, tag: int = 1, extensible=False, cut: int = 0
) -> bytes:
    """A WAV file built by hand: PCM (tag 1) or IEEE float (tag 3), optionally as WAVE_FORMAT_EXTENSIBLE."""
    channels = frames.shape[1]
    if tag == 3:
        body = frames.astype("<f4" if bits == 32 else "<f8").tobytes()
    elif bits == 8:
        body = (np.round(frames * 127) + 128).astype(np.uint8).tobytes()
    elif bits == 24:
        ints = np.round(frames * (2**23 - 1)).astype("<i4")
        body = ints.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        body = np.round(frames * (2 ** (bits - 1) - 1)).astype(f"<i{bits // 8}").tobytes()
    align = channels * bits // 8
    if extensible:
        guid = struct.pack("<H", tag) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * align, align, bits, 22, bits, 0) + guid
    else:
        fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"LIST" + struct.pack("<I", 4) + b"INFO"  # a chunk to skip
    chunks += b"data" + struct.pack("<I", len(body)) + body
    out = b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks
    return out[: len(out) - cut]


FRAMES = np.stack([np.sin(np.arange(1000) / 30) * 0.9, np.linspace(-0.99, 0.99, 1000)], axis=1)


@pytest.mark.parametrize(
    "bits,tag,extensible,tol",
    [(8, 1, False, 1 / 100), (16, 1, False, 1e-4), (24, 1, False, 1e-6), (32, 1, False, 1e-8),
     (32, 3, False, 1e-7), (64, 3, False, 1e-7), (24, 1, True, 1e-6), (32, 3, True, 1e-7)],
)  # fmt: skip
def test_wav_widths(tmp_path, bits, tag, extensible, tol):
    path = write(tmp_path, "x.wav", wav_bytes(FRAMES, 8000, bits, tag, extensible))
    ds = datafile.load(path)
    assert ds.rate == 8000 and ds.names == ("left", "right") and ds.values.shape == (2, 1000)
    assert np.allclose(ds.values.T, FRAMES, atol=tol * 2)


def test_wav_matches_stdlib_wave_for_pcm(tmp_path):
    path = tmp_path / "std.wav"
    ints = (FRAMES * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(ints.tobytes())
    ds = datafile.load(path)
    assert ds.rate == 44100 and np.array_equal(ds.values, ints.T.astype(np.float32) / 32768)


def test_wav_mono_and_multichannel(tmp_path):
    mono = datafile.load(write(tmp_path, "m.wav", wav_bytes(FRAMES[:, :1], 100, 16)))
    assert mono.names == ("ch1",) and mono.values.shape == (1, 1000)
    six = np.tile(FRAMES[:, :1], (1, 6))
    ds = datafile.load(write(tmp_path, "six.wav", wav_bytes(six, 48000, 24)))
    assert ds.names == tuple(f"ch{i}" for i in range(1, 7))


def test_wav_malformed(tmp_path):
    good = wav_bytes(FRAMES, 8000, 16)
    refused(
        write(tmp_path, "cut.wav", good[:-1000]),
        "cut.wav: truncated",
        "'data' chunk says 4,000 bytes",
        "750 of 1,000 frames",
    )
    refused(write(tmp_path, "tiny.wav", good[:10]), "truncated", "shorter than a WAV header")
    refused(write(tmp_path, "riff.wav", b"RIFX" + good[4:]), "bytes 0-3", "not 'RIFF'")
    refused(write(tmp_path, "nodata.wav", good[:48]), "truncated: no 'data' chunk")
    many = np.zeros((10, 20))
    refused(write(tmp_path, "many.wav", wav_bytes(many, 100, 16)), "'fmt ' chunk: 20 channels; at most 16")
    refused(write(tmp_path, "adpcm.wav", wav_bytes(FRAMES, 100, 16, tag=2)), "format 0x0002", "not supported")
    refused(write(tmp_path, "f16.wav", wav_bytes(FRAMES, 100, 16, tag=3)), "16-bit samples is not supported")
    half = bytearray(good)
    data_at = good.find(b"data")
    half[data_at + 4 : data_at + 8] = struct.pack("<I", 4001)
    refused(write(tmp_path, "odd.wav", bytes(half) + b"\x00"), "not a whole number of 4-byte frames")


# --- Parquet --------------------------------------------------------------------------------------------


def test_parquet_with_timestamps_and_rate_metadata(tmp_path):
    n = 5000
    times = pa.array(np.datetime64("2024-01-01T00:00:00", "ns") + np.arange(n) * np.timedelta64(4, "ms"))
    table = pa.table({"ts": times, "x": np.arange(n, dtype=np.float64), "y": np.arange(n, dtype=np.int16)})
    pq.write_table(table, tmp_path / "a.parquet", row_group_size=1000)
    ds = datafile.load(tmp_path / "a.parquet")
    assert ds.names == ("x", "y") and ds.rate == 250 and ds.start == pytest.approx(1704067200.0)
    assert ds.values[1, 4321] == 4321
    meta = pa.table({"a": np.zeros(300, np.float32)}).replace_schema_metadata({"rate": "1000"})
    pq.write_table(meta, tmp_path / "b.parquet")
    assert datafile.load(tmp_path / "b.parquet").rate == 1000


def test_parquet_malformed(tmp_path):
    pq.write_table(pa.table({"a": [1.0, 2.0], "label": ["x", "y"]}), tmp_path / "s.parquet")
    refused(tmp_path / "s.parquet", "field 'label' (column 2) is string, not numbers", rate=1)
    pq.write_table(pa.table({"a": np.zeros(10000)}), tmp_path / "ok.parquet")
    whole = (tmp_path / "ok.parquet").read_bytes()
    refused(
        write(tmp_path, "cut.parquet", whole[:-200]), "cut.parquet", "not a valid Parquet file, or truncated"
    )
    wide = pa.table({f"c{i}": [1.0] for i in range(17)})
    pq.write_table(wide, tmp_path / "wide.parquet")
    refused(tmp_path / "wide.parquet", "17 numeric fields; at most 16", rate=1)


# --- shared -----------------------------------------------------------------------------------------------


def test_every_format_gives_the_same_dataset(tmp_path):
    data = np.round(np.vstack([np.sin(np.arange(600) / 7), np.cos(np.arange(600) / 5)]), 4).astype(np.float32)
    np.save(tmp_path / "d.npy", data)
    np.savez(tmp_path / "d.npz", a=data[0], b=data[1])
    pq.write_table(pa.table({"a": data[0], "b": data[1]}), tmp_path / "d.parquet")
    (tmp_path / "d.csv").write_text("a,b\n" + "".join(f"{x:.4f},{y:.4f}\n" for x, y in data.T))
    loaded = [datafile.load(tmp_path / f"d.{ext}", rate=100) for ext in ("npy", "npz", "parquet", "csv")]
    for ds in loaded:
        assert ds.rate == 100 and ds.values.shape == (2, 600)
        assert np.array_equal(ds.values, data)
    assert len({ds.key for ds in loaded[1:]}) == 1  # same names, samples and rate: the same key


def test_rate_limits_and_missing_file(tmp_path):
    path = write(tmp_path, "x.csv", "a\n1\n2\n")
    refused(path, "outside 1-1,000,000 Hz", rate=0.2)
    refused(path, "outside", rate=5e6)
    refused(tmp_path / "nope.csv", "nope.csv: cannot read the file")


def test_format_detected_from_content(tmp_path):
    path = write(tmp_path, "upload.bin", wav_bytes(FRAMES, 100, 16))
    assert datafile.detect(tmp_path / "upload.bin") == "wav"
    assert datafile.load(path).rate == 100
