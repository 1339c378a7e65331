#!/usr/bin/env python
from volunteerkm.cli import main

if __name__ == "__main__":
    main()
