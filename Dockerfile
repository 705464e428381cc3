FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=govproj.settings.production
WORKDIR /app
COPY scripts/system-deps.sh scripts/system-deps.sh
RUN scripts/system-deps.sh && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
 && export DJANGO_SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.db CELERY_BROKER_URL=memory:// \
 && python manage.py compilemessages --ignore=.venv \
 && python manage.py collectstatic --noinput
RUN useradd --system --home /app govproj && chown -R govproj /app
USER govproj
EXPOSE 8000
CMD ["gunicorn", "govproj.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
