/** steward/explain/reasons (filled in by its module). */
export {};
