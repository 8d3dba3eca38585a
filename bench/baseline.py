"""The two baselines every scenario is compared with, served by the same gunicorn setup.

`baseline:flask_app` is a minimal Flask app returning a short string (the baseline
every target refers to); `baseline:wsgi_app` is a bare WSGI callable (the ceiling
of the process model).
"""

from flask import Flask

flask_app = Flask(__name__)


@flask_app.route("/")
def hello():
    return "Hello, road safety!"


def wsgi_app(environ, start_response):
    body = b"Hello, road safety!"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
