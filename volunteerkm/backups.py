"""Backups of the running database, and putting one back.

SQLite: SQLite's online backup API copies the database page by page from one read
transaction, so the copy is consistent (a snapshot of committed data) while other
connections go on writing; copying the file could catch a half-written page or miss the
WAL. The copy is checked and written under a temporary name, then renamed into place.
PostgreSQL: pg_dump (its own consistent snapshot) in the custom format, and pg_restore.
"""
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.core.management.base import CommandError


class NotEmpty(CommandError):
    pass


def backup(settings_dict: dict, path: Path) -> None:
    if _is_sqlite(settings_dict):
        _sqlite_backup(Path(settings_dict["NAME"]), path)
    else:
        tmp = path.with_name(path.name + ".part")
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}"], settings_dict)
        tmp.replace(path)


def restore(settings_dict: dict, path: Path, force: bool = False) -> None:
    if not path.is_file():
        raise CommandError(f"ไม่พบไฟล์สำรองข้อมูล {path}")
    if not force and not is_empty(settings_dict):
        raise NotEmpty("ฐานข้อมูลปลายทางไม่ว่าง (มีตารางอยู่แล้ว) จึงไม่ได้กู้คืน: กู้คืนลงฐานข้อมูลใหม่ที่ว่าง "
                       "หรือใช้ --force เพื่อแทนที่ข้อมูลเดิมทั้งหมด (หยุดเซิร์ฟเวอร์ก่อน)")
    if _is_sqlite(settings_dict):
        _sqlite_restore(path, Path(settings_dict["NAME"]))
    else:
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              *(["--clean", "--if-exists"] if force else []), f"--dbname={settings_dict['NAME']}", str(path)],
             settings_dict)


def is_empty(settings_dict: dict) -> bool:
    if _is_sqlite(settings_dict):
        target = Path(settings_dict["NAME"])
        if not target.exists():
            return True
        with closing(sqlite3.connect(target)) as con:
            return not con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    import psycopg

    with psycopg.connect(**_pg_params(settings_dict), dbname=settings_dict["NAME"]) as con:
        return not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                               ).fetchone()[0]


def _sqlite_backup(source: Path, path: Path) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, closing(sqlite3.connect(tmp)) as dst:
        src.backup(dst)  # all pages in one step: one snapshot, however busy the source is
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _check(dst)
    tmp.replace(path)


def _sqlite_restore(path: Path, target: Path) -> None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as src:
        _check(src)
        with closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")


def _check(con) -> None:
    result = con.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise CommandError(f"ไฟล์ฐานข้อมูลเสียหาย ({result})")


def _run(command: list[str], settings_dict: dict) -> None:
    if shutil.which(command[0]) is None:
        raise CommandError(f"ไม่พบคำสั่ง {command[0]} (ติดตั้งด้วย apt-get install postgresql-client)")
    env = {**os.environ, **{f"PG{k.upper()}": str(v) for k, v in _pg_params(settings_dict).items()},
           "PGDATABASE": settings_dict["NAME"]}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{command[0]} ไม่สำเร็จ: {result.stderr.strip()}")


def _pg_params(settings_dict: dict) -> dict:
    """host, port, user and password as far as they are set."""
    return {k.lower(): settings_dict[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if settings_dict.get(k)}


def _is_sqlite(settings_dict: dict) -> bool:
    return settings_dict["ENGINE"].endswith("sqlite3")

