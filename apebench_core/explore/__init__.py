"""``apebench explore``: a Streamlit app over scenarios, study results and components.

The pages are thin: what they show is computed by :mod:`.model` (plain functions over the
registry, planned scenarios and study folders, no Streamlit), so it is testable alone.
Streamlit is the optional extra ``apebench-core[explore]``.
"""

from pathlib import Path

#: The script ``streamlit run`` executes.
APP_PATH = Path(__file__).with_name("app.py")

#: Environment variable through which the CLI hands the results folder to the app.
RESULTS_ENV = "APEBENCH_EXPLORE_RESULTS"
