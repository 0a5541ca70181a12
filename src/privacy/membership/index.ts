/** steward/privacy/membership (filled in by its module). */
export {};
