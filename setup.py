"""Package list for setuptools.

resources/ and forms/ sit at the top of the checkout (DESIGN.md §2) but must ship inside the wheel, so that a
non-editable install and a frozen build find them through ``whh_desktop.resources``. pyproject.toml cannot
combine package discovery with such a mapping, hence this file.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["whh_desktop", "whh_desktop.*"]), "whh_desktop._resources",
              "whh_desktop._forms"],
    package_dir={"whh_desktop._resources": "resources", "whh_desktop._forms": "forms"},
)
