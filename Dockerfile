# cmf-bot in a container (see README.md, "Running as a service").
#   docker build -t cmf-bot .
#   docker run -d --name cmf-bot --restart on-failure --env-file .env -v cmf-bot-data:/data cmf-bot
#   docker logs -f cmf-bot        # "ready: …", "command sync: …", "health: …" lines
# `docker stop` sends SIGTERM: the bot closes cleanly and exits 0.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CMF_BOT_DB=/data/cmf-bot.sqlite3

WORKDIR /app
# The knowledge base (knowledge/, intents.yaml) is read from the source tree, so install in place.
COPY pyproject.toml README.md intents.yaml ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install -e . \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin cmf-bot \
    && mkdir -p /data && chown cmf-bot:cmf-bot /data

USER cmf-bot
VOLUME ["/data"]
STOPSIGNAL SIGTERM
# The token comes from the environment (--env-file), never from the image.
CMD ["cmf-bot", "run", "--env-file", "/dev/null"]
