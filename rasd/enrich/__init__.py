"""Enrichment: named entities (rasd.enrich.ner), the knowledge base and alias
linking (kb, link), quotes with their speakers (quotes); the pipeline stage
that combines them is rasd.enrich.stage."""
