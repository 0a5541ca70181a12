/** steward/privacy/pii (filled in by its module). */
export {};
