"""gunicorn's settings, read by default from the working directory: `make run`, a systemd
unit or a plain `gunicorn wsgi:app` all get them (command-line flags still override).

Slow clients: threads (gthread), not processes, wait on them. A connection costs a thread only
once its first bytes arrive (until then gthread's poller holds it), and a request body must
arrive within FORUM_BODY_TIMEOUT seconds, or the read answers 408 and the thread is free.
Each worker of 12 threads keeps answering while fewer than 12 clients trickle bodies to it; in
front of many more, nginx buffers whole requests before passing them on (README, production).
"""

import os

from forum.serving import bound_body

bind = os.environ.get("FORUM_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("FORUM_WORKERS", "2"))
worker_class = "gthread"
# 12 threads stay within the database pool of a worker (SQLAlchemy: 5 + 10 overflow).
threads = int(os.environ.get("FORUM_THREADS", "12"))
timeout = 60  # a worker whose main loop stalls this long is restarted
graceful_timeout = 20
keepalive = 5
# Headers: at most 100 fields of 8 KiB, a request line of 8 KiB (gunicorn's limits, stated).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("FORUM_ACCESS_LOG", "-") or None  # empty: no access log

BODY_TIMEOUT = float(os.environ.get("FORUM_BODY_TIMEOUT", "10"))


def pre_request(worker, req):
    bound_body(req, BODY_TIMEOUT)
