# The Herd image: web server, Celery worker and Celery beat all run from it
# (see docker-compose.yml for the commands).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HERD_DATA_DIR=/data

# ffmpeg converts audio, video and animated GIF uploads.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --user-group --home-dir /data herd
WORKDIR /app

# Dependencies first, in a layer of their own, so that code changes rebuild quickly.
COPY pyproject.toml ./
RUN python -c "import subprocess, sys, tomllib; \
deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--no-cache-dir', *deps])"

COPY . .
# The key given to collectstatic is used only here; the containers get SECRET_KEY at runtime.
RUN pip install --no-cache-dir --no-deps -e . \
    && mkdir -p /data/media \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && chown -R herd:herd /data

USER herd
EXPOSE 8000
CMD ["uvicorn", "fediverse.asgi:application", "--host", "0.0.0.0", "--port", "8000"]
