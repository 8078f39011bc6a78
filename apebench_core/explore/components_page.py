"""Components page: the ``apebench list`` catalogue, searchable, and the status of every plugin."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..plugin.hookspecs import KINDS
from . import model


def render() -> None:
    st.header("Components")
    left, right = st.columns([2, 1])
    with left:
        query = st.text_input("search (name, kind, usage, summary, fields, plugin)", key="component_query")
    with right:
        kinds = st.multiselect("kinds", list(KINDS), key="component_kinds")
    rows = [row for row in model.component_rows(query) if not kinds or row["kind"] in kinds]
    st.caption(f"{len(rows)} component(s)")
    columns = ["kind", "name", "usage", "summary", "fields", "plugin"]
    st.dataframe(pd.DataFrame(rows, columns=columns), width="stretch", hide_index=True)

    st.subheader("Plugins")
    plugins = model.plugin_rows()
    failed = [p for p in plugins if p["errors"]]
    for plugin in failed:
        st.error(f"plugin `{plugin['plugin']}` ({plugin['status']}):\n\n" + plugin["errors"])
    st.dataframe(plugins, width="stretch", hide_index=True)
