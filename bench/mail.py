"""Group mail at forum scale: enqueueing a mailing to 20,000 people, and the worker's pace
against a real SMTP server on 127.0.0.1 (not part of the test suite).

``.venv/bin/python bench/mail.py [--participants 20000] [--seconds 10] [--postgres]``

Builds the demo event with N participants (forum.demo's bulk builder; it writes no mail),
then times, each in its own transaction: the audience count a preview makes; one mailing to
every confirmed person (``forum.mail.mailings.send``: executemany in chunks, the way the API
does it); the day-before reminders for the same people (one Jinja render per person). Then
the mail worker delivers the mailing's rows to an aiosmtpd server (FORUM_MAIL_RATE=0, no
pause) for at most ``--seconds``; messages per second is what it sent over the time it ran.
Prints a table and writes bench/results/mail-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from bench.report import database, database_options, save  # noqa: E402
from forum import clock, create_app  # noqa: E402
from forum.demo.builder import build_demo  # noqa: E402
from forum.events.models import Event  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.mail import mailings, reminders, worker  # noqa: E402

TARGET_ENQUEUE_S = 10.0  # "a send to 20,000 is enqueued in seconds"


class Counter:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _timed(results: list, name: str, work) -> object:
    started, cpu = time.perf_counter(), time.process_time()
    value, rows = work()
    results.append({"step": name, "rows": rows,
                    "seconds": round(time.perf_counter() - started, 2),
                    "cpu_s": round(time.process_time() - cpu, 2)})
    return value


def run(database_url: str, participants: int, seconds: float) -> dict:
    port = _free_port()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False, "FORUM_SMTP_HOST": "127.0.0.1",
                      "FORUM_SMTP_PORT": port, "FORUM_SMTP_SECURITY": "none",
                      "FORUM_MAIL_RATE": 0})
    results: list[dict] = []
    draft = mailings.Draft(
        subject={"kk": "{event}: маңызды хабар", "ru": "{event}: важное сообщение",
                 "en": "{event}: important news"},
        body={"kk": "Құрметті {first_name} {last_name}!\n\nБағдарлама жаңартылды.\n\n"
                    "{manage_hint}",
              "ru": "Здравствуйте, {first_name} {last_name}!\n\nПрограмма обновлена.\n\n"
                    "{manage_hint}",
              "en": "Dear {first_name} {last_name},\n\nThe program was updated.\n\n"
                    "{manage_hint}"},
        audience={})
    with app.app_context():
        db.create_all()
        session = db.session
        now = clock.now()
        started = time.perf_counter()
        build_demo(session, slug="digital-bridge", participants=participants, seed=2026, now=now)
        session.commit()
        built = time.perf_counter() - started
        event = session.scalar(db.select(Event).where(Event.slug == "digital-bridge"))

        def size():
            n = mailings.audience_size(session, mailings.audience_where(session, event, {}))
            session.rollback()
            return n, n

        def send():
            mailing = mailings.send(session, event, draft, actor="bench", actor_email="",
                                    now=now)
            recipients = mailing.recipients
            session.commit()
            return recipients, recipients

        def remind():  # the command's chunks (its day-before check left out)
            total = 0
            while n := reminders.send_reminders(session, event, now=now):
                session.commit()
                total += n
            return total, total

        _timed(results, "audience count", size)
        recipients = _timed(results, "mailing enqueued", send)
        _timed(results, "reminders enqueued", remind)

        sink = Counter()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        stop = threading.Event()
        timer = threading.Timer(seconds, stop.set)
        try:
            timer.start()
            started = time.perf_counter()
            outcome = worker.run(session, now=clock.now, once=True, stop=stop)
            elapsed = time.perf_counter() - started
        finally:
            timer.cancel()
            controller.stop()
        backend = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    return {"backend": backend, "participants": participants, "setup_s": round(built, 1),
            "recipients": recipients, "steps": results,
            "worker": {"sent": outcome.sent, "failed": outcome.failed,
                       "received": sink.received, "seconds": round(elapsed, 2),
                       "per_second": round(outcome.sent / elapsed, 1) if elapsed else 0}}


def _table(report: dict) -> str:
    lines = [f"{report['backend']}, {report['participants']} participants "
             f"(setup {report['setup_s']} s; load average {report['load_avg'][0]:.2f})",
             f"{'step':22} {'rows':>6} {'seconds':>8} {'cpu s':>6}"]
    for step in report["steps"]:
        lines.append(f"{step['step']:22} {step['rows']:>6} {step['seconds']:>8.2f} "
                     f"{step['cpu_s']:>6.2f}")
    w = report["worker"]
    lines.append(f"worker: {w['sent']} sent ({w['received']} received, {w['failed']} failed) "
                 f"in {w['seconds']} s = {w['per_second']} messages/s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="how long the worker may deliver (it stops sooner when done)")
    database_options(parser)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with database(args, "mail") as url:
        report = run(url, args.participants, args.seconds)
    report["target_enqueue_s"] = TARGET_ENQUEUE_S
    save("mail", report, load_before, _table)


if __name__ == "__main__":
    main()
