"""The rules of honest study: how long a lesson must be open, how a page's pings
are credited, how much of a video must be played, and the pause before a check
may be retried. Pure functions; the writes are in services.py.
"""

import random

from .blocks import VIDEO_EXTENSIONS, media_extension

# The lesson page pings every PING_SECONDS while it is visible; one ping credits at
# most PING_CREDIT_MAX seconds, so a page asleep in a background tab earns nothing
# and a client cannot claim more time than has passed on the server's clock.
PING_SECONDS = 15
PING_CREDIT_MAX = 30
# Time on the page: half the minutes the lesson states, at least 1 and at most 20.
MIN_STUDY_FLOOR = 60
MIN_STUDY_CEILING = 20 * 60
# A video counts as watched when this share of it has been played.
VIDEO_SHARE = 0.8
# Players go up to 2× speed: more played seconds than twice the time passed is not plausible.
MAX_PLAYBACK_RATE = 2.0
MAX_MEDIA_SECONDS = 6 * 3600
# The first duration a page reports is checked against the file: a lecture video on
# the intranet is encoded below this bitrate, so a file of N bytes lasts at least
# N*8/MAX_VIDEO_BITS_PER_SECOND seconds. A page claiming a 300 MB video lasts 10 s
# (to make "80 % played" a few seconds) is held to the file's least possible length.
MAX_VIDEO_BITS_PER_SECOND = 8_000_000
# One 学时 (credit hour) is 45 minutes of training, as the bureau counts it: on
# certificates and in the yearly training hours.
STUDY_HOUR_SECONDS = 45 * 60
# After a failed knowledge check, the next attempt opens after this pause.
CHECK_RETRY_PAUSE = 120


def required_seconds(lesson) -> int:
    """The time the lesson must be open and visible before it counts as studied."""
    return max(MIN_STUDY_FLOOR, min(MIN_STUDY_CEILING, int(lesson.minutes or 0) * 60 // 2))


def video_block_ids(lesson) -> list[str]:
    """The lesson's video blocks (audio, and video played as audio, excepted)."""
    ids = []
    for block in lesson.body:
        if block.block_type != "media":
            continue
        document = block.value.get("file")
        if document is None or block.value.get("play_as") == "audio":
            continue
        if media_extension(document) in VIDEO_EXTENSIONS:
            ids.append(block.id)
    return ids


def video_least_seconds(lesson) -> dict[str, float]:
    """Each video block's least possible duration, from its file's size."""
    ids = set(video_block_ids(lesson))
    least = {}
    for block in lesson.body:
        if block.id not in ids:
            continue
        try:
            size = block.value["file"].get_file_size() or 0
        except (OSError, ValueError):
            size = 0
        least[block.id] = min(MAX_MEDIA_SECONDS, size * 8 / MAX_VIDEO_BITS_PER_SECOND)
    return least


def ping_credit(elapsed_seconds: float, visible: bool) -> int:
    """Seconds one ping adds to the time on the page."""
    if not visible or elapsed_seconds <= 0:
        return 0
    return int(min(elapsed_seconds, PING_CREDIT_MAX))


def played_seconds(ranges, duration: float) -> float:
    """The length of the union of the page's played ranges, within [0, duration]."""
    spans = []
    for item in ranges or []:
        try:
            start, end = float(item[0]), float(item[1])
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(0.0, start), min(duration, end)
        if end > start:
            spans.append((start, end))
    total, cursor = 0.0, 0.0
    for start, end in sorted(spans):
        start = max(start, cursor)
        if end > start:
            total += end - start
            cursor = end
    return total


def media_update(previous: dict, report: dict, elapsed_seconds: float, least_seconds: float = 0.0) -> dict:
    """One video's record after a ping: the duration first reported is kept (a later
    one cannot shrink the task), never below the file's least possible length
    (`least_seconds`, see video_least_seconds), and the played seconds grow at most
    by what the time passed allows at the fastest playback rate."""
    previous = previous or {}
    duration = previous.get("duration")
    if duration is None:
        try:
            reported = float(report.get("duration"))
        except (TypeError, ValueError):
            return previous
        if not 1 <= reported <= MAX_MEDIA_SECONDS:
            return previous
        duration = round(max(reported, least_seconds), 1)
    claimed = played_seconds(report.get("played"), duration)
    before = float(previous.get("played", 0.0))
    allowed = before + max(0.0, min(elapsed_seconds, PING_CREDIT_MAX)) * MAX_PLAYBACK_RATE
    return {"duration": duration, "played": round(max(before, min(claimed, allowed)), 1)}


def video_watched(record: dict | None) -> bool:
    if not record or not record.get("duration"):
        return False
    return record.get("played", 0) >= VIDEO_SHARE * record["duration"]


def study_progress(*, study, lesson) -> dict:
    """How far the officer is from having studied the lesson: seconds still needed,
    and each video's share played."""
    needed = required_seconds(lesson)
    seconds = study.seconds_visible if study else 0
    records = (study.media or {}) if study else {}
    videos = [
        {"block_id": block_id, "watched": video_watched(records.get(block_id)),
         "percent": _played_percent(records.get(block_id))}
        for block_id in video_block_ids(lesson)
    ]
    return {
        "required_seconds": needed,
        "seconds": seconds,
        "seconds_left": max(0, needed - seconds),
        "required_minutes": -(-needed // 60),
        "minutes_done": seconds // 60,
        "videos": videos,
        "done": seconds >= needed and all(v["watched"] for v in videos),
    }


def _played_percent(record: dict | None) -> int:
    if not record or not record.get("duration"):
        return 0
    return min(100, int(100 * record.get("played", 0) / record["duration"]))


def shuffled(items: list, seed: str) -> list:
    """The items in an order fixed by the seed (the officer, the check, the attempt
    number): the same on every reload, a new one after each attempt."""
    items = list(items)
    random.Random(seed).shuffle(items)
    return items
