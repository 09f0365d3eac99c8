"""gapfinder.dask and gapfinder.spark: light to import, plain errors before any work is sent."""
import subprocess
import sys

import pytest

import gapfinder
import gapfinder.dask
import gapfinder.spark
from gapfinder.errors import MissingExtraError

HEAVY = ("spacy", "numpy", "sklearn", "dask", "distributed", "pyspark", "pandas", "pyarrow")


def test_importing_the_faces_imports_no_heavy_library():
    code = ("import sys, gapfinder, gapfinder.dask, gapfinder.spark; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("face, extra, blocked", [
    (gapfinder.dask.analyze, "dask", ("dask", "dask.dataframe", "dask.bag")),
    (gapfinder.dask.analyze_emails, "dask", ("dask", "dask.dataframe", "dask.bag")),
    (gapfinder.spark.analyze, "spark", ("pyspark", "pyspark.sql")),
    (gapfinder.spark.analyze_emails, "spark", ("pyspark", "pyspark.sql")),
    (gapfinder.spark.session, "spark", ("pyspark", "pyspark.sql")),
])
def test_without_the_extra_a_call_says_how_to_install_it(monkeypatch, face, extra, blocked):
    for name in blocked:
        monkeypatch.setitem(sys.modules, name, None)     # what an absent package looks like
    with pytest.raises(MissingExtraError) as caught:
        face(object())
    message = str(caught.value)
    assert f'pip install "gapfinder[{extra}]"' in message and "\n" not in message
    assert isinstance(caught.value, ImportError) and isinstance(caught.value, gapfinder.GapfinderError)


def test_a_column_that_is_not_there_is_named_before_any_work():
    pd = pytest.importorskip("pandas")
    pytest.importorskip("dask.dataframe")
    frame = pd.DataFrame({"message": ["Your CV had typos."], "id": ["1"]})
    with pytest.raises(gapfinder.InputError) as caught:
        gapfinder.dask.analyze(frame)
    assert str(caught.value) == ('the frame has no column "text" (given as text=); its columns are '
                                 'message, id: pass text="..." with the right name')
