"""The keepalived grammar: lexical layer (Lark), block structure, and the typed AST builder."""
