# syntax=docker/dockerfile:1
# Concierge: Intercom bot and Canvas Kit app server.
#   docker build -t concierge .
#   docker run -p 8080:8080 -v concierge-data:/data concierge

# --- builder: build the wheel and install it (with its dependencies) into a venv ------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY src ./src
RUN /opt/venv/bin/pip install --upgrade pip wheel \
    && /opt/venv/bin/pip wheel --no-deps --wheel-dir /wheels . \
    && /opt/venv/bin/pip install /wheels/*.whl

# --- runtime: the venv, the playbook files, a non-root user ---------------------------------
FROM python:3.11-slim AS runtime

ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CONCIERGE_DATABASE_URL=sqlite:////data/concierge.db \
    CONCIERGE_MODEL_DIR=/data/model

RUN groupadd --system concierge \
    && useradd --system --gid concierge --home-dir /app --no-create-home --shell /usr/sbin/nologin concierge \
    && mkdir -p /app /data \
    && chown concierge:concierge /data

COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY intents/ /app/intents/
COPY canvases/ /app/canvases/

USER concierge
VOLUME ["/data"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"]

CMD ["concierge", "serve", "--host", "0.0.0.0", "--port", "8080"]
