"""The package list, which pyproject.toml cannot compute: found bot.* packages plus content/.

content/ stays at the top of the repository for its authors and ships as the data package
`bot.content`; every other setting is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*"]), "bot.content"],
    package_dir={"bot.content": "content"},
)
