# faqbot: one image for the Telegram bot and for the custom action server.
#   docker build -t faqbot .
#   docker run --rm --env-file .env faqbot            # long polling
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FAQBOT_INTENTS=/app/intents \
    FAQBOT_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install . \
 && useradd --create-home --uid 10001 faqbot \
 && mkdir /data && chown faqbot /data
COPY intents ./intents
COPY endpoints.yml endpoints.docker.yml ./

USER faqbot
# The unanswered-questions log (for `faqbot review`) lives here; compose mounts a volume.
VOLUME ["/data"]
# Webhook mode listens here (faqbot telegram --webhook-url URL --port 8443).
EXPOSE 8443
# faqbot telegram exits 0 on SIGTERM after finishing the updates in progress.
STOPSIGNAL SIGTERM
CMD ["faqbot", "telegram"]
