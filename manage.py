#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    # The command line is where development happens; a production shell exports DEBUG=0
    # (README), and the WSGI entry point keeps the secure default (DEBUG off).
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
