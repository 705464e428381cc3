#!/usr/bin/env python
"""Django's command line. Production settings unless DJANGO_SETTINGS_MODULE says otherwise:
the make targets use govproj.settings.local (the embedded default), pytest govproj.settings.test."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govproj.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
