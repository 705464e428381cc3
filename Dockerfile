FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=govproj.settings.production \
    DJANGO_MEDIA_ROOT=/var/lib/govproj/media
WORKDIR /app
COPY scripts/system-deps.sh scripts/system-deps.sh
# Run-time packages only (no --dev: no browser in the production image).
RUN scripts/system-deps.sh && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY . .
# Production settings refuse a weak secret even at build time: a throwaway one, used only here.
RUN pip install --no-cache-dir . \
 && export DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
      DATABASE_URL=sqlite:////tmp/build.db CELERY_BROKER_URL=memory:// \
 && python manage.py compilemessages --ignore=.venv \
 && python manage.py collectstatic --noinput \
 && rm -f /tmp/build.db*
RUN useradd --system --home /app govproj && mkdir -p "$DJANGO_MEDIA_ROOT" \
 && chown -R govproj /app "$DJANGO_MEDIA_ROOT"
USER govproj
EXPOSE 8000
CMD ["gunicorn", "govproj.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
