from django.apps import AppConfig


class GovprojConfig(AppConfig):
    name = "govproj"
    verbose_name = "govproj"
