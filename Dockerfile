# Factbot: the Slack bot in HTTP mode (default command) or the Discord bot (`factbot serve discord`).
#   docker build -t factbot .
#   docker run -p 3000:3000 -v factbot-data:/data --env-file slack.env factbot
# The fact store lives on the volume /data (FACTBOT_DB); it builds itself from seeds/ on first start.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Pinned dependencies first, so a code change does not reinstall them.
COPY pyproject.toml constraints.txt README.md ./
COPY bot/ bot/
COPY facts/ facts/
COPY adapters/ adapters/
COPY bench/ bench/
COPY seeds/ seeds/
# A regular install: the seed articles ship inside the package (factbot_seeds), so the store
# builds itself from them on first use wherever it runs.
RUN pip install -c constraints.txt .

# A system user without a login shell owns the store; nothing runs as root.
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin factbot \
    && mkdir -p /data && chown factbot:factbot /data
ENV FACTBOT_DB=/data/factbot.db \
    FACTBOT_LOG_FORMAT=json
VOLUME /data
USER factbot

EXPOSE 3000
STOPSIGNAL SIGTERM
# 200 while the store answers (GET /healthz); the Discord service overrides this in compose.yaml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
CMD ["factbot", "serve", "slack", "--http", "--host", "0.0.0.0", "--port", "3000", "--workers", "2"]
