/** steward/privacy/mechanisms (filled in by its module). */
export {};
