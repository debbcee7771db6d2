"""Ways into one index besides the command line: HTTP (a web page and a JSON
API, `http`) and the Model Context Protocol for language-model agents
(`mcp_server`). Both are read-only and answer through the library."""
