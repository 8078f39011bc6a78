"""Components page: the ``apebench list`` catalogue, searchable, and the status of every plugin."""

from __future__ import annotations

import streamlit as st

from . import model


def render() -> None:
    st.header("Components")
    query = st.text_input("search (name, kind, usage, summary, fields, plugin)", key="component_query")
    rows = model.component_rows(query)
    st.caption(f"{len(rows)} component(s)")
    st.dataframe(rows, width="stretch", hide_index=True)

    st.subheader("Plugins")
    plugins = model.plugin_rows()
    failed = [p for p in plugins if p["errors"]]
    for plugin in failed:
        st.error(f"plugin `{plugin['plugin']}` ({plugin['status']}):\n\n" + plugin["errors"])
    st.dataframe(plugins, width="stretch", hide_index=True)
