"""The explorer's Streamlit script (``apebench explore`` runs it with ``streamlit run``).

Pages: Scenarios, Results, Components (sidebar, or ``?page=results`` in the address).
Every bad input becomes a message on the page, never a traceback.
"""

from __future__ import annotations

import streamlit as st

from apebench_core.explore import components_page, results_page, scenarios_page

PAGES = {"Scenarios": scenarios_page, "Results": results_page, "Components": components_page}


def main() -> None:
    st.set_page_config(page_title="apebench explore", layout="wide")
    names = list(PAGES)
    wanted = str(st.query_params.get("page", "")).capitalize()
    page = st.sidebar.radio("page", names, index=names.index(wanted) if wanted in names else 0, key="page")
    st.sidebar.divider()
    try:
        PAGES[page].render()
    except Exception as error:  # noqa: BLE001 - the page's last resort: a message, not a traceback
        st.error(f"{type(error).__name__}: {error}")


main()
