"""python -m kaconf"""
from kaconf.cli import main

main()
