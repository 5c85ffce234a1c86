# faqbot: one image for the Telegram bot and for the custom action server.
#   docker build -t faqbot .
#   docker run --rm --env-file .env -v faqbot-data:/data faqbot     # long polling
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FAQBOT_INTENTS=/app/intents \
    FAQBOT_DATA_DIR=/data \
    FAQBOT_CACHE_DIR=/data/cache

WORKDIR /app
# Dependencies first, in a layer of their own: editing the code does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && useradd --create-home --uid 10001 faqbot \
 && mkdir /data && chown faqbot /data && chmod 1777 /data
COPY README.md ./
COPY bot ./bot
RUN pip install --no-deps .
# The shipped knowledge base; compose mounts ./intents over it, so edits and
# `faqbot review add` reach the running bot (hot reload).
COPY --chown=faqbot intents ./intents
COPY endpoints.yml endpoints.docker.yml ./

USER faqbot
# Conversation state (state.sqlite3), the unanswered-questions log and the matcher cache
# live in /data, writable whatever user compose runs the bot as (FAQBOT_UID);
# compose mounts a named volume there for the bot (no VOLUME here: the action server,
# built from the same image, needs none).
# Webhook mode listens here (faqbot telegram --webhook-url URL --port 8443).
EXPOSE 8443
# faqbot telegram exits 0 on SIGTERM after finishing the updates in progress.
STOPSIGNAL SIGTERM
CMD ["faqbot", "telegram"]
