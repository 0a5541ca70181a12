/** steward/explain/counterfactuals (filled in by its module). */
export {};
