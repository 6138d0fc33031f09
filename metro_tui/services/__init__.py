"""Pure billing computations: joins and aggregations over domain models, `now` always passed in."""
