"""newsint: news reports in, structured and source-attributed records out.

    >>> import newsint
    >>> record = newsint.analyze(text, published="2021-11-01")
    >>> record.to_json()
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsint")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from newsint.pipeline import analyze, analyze_article, analyze_articles  # noqa: E402
from newsint.schema import Record  # noqa: E402

__all__ = ["__version__", "analyze", "analyze_article", "analyze_articles", "Record"]
