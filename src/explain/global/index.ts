/** steward/explain/global (filled in by its module). */
export {};
