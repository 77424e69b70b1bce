"""gen-pair: a cluster description (pydantic, from TOML) compiled into the directors' configs."""
