namespace CryptoMargin.Margin.Engine;

/// <summary>
/// One scenario of the real-time engine's grid: <see cref="PriceShock"/> the relative move of every underlying
/// (−0.16 = down 16 %), <see cref="VolShock"/> the relative implied-vol move at 30 days (+0.4 = ×1.4; other tenors are
/// scaled by the grid's term law), <see cref="Weight"/> the fraction of the simulated P&amp;L that counts (1 on the
/// main table, less on the extended table).
/// </summary>
public readonly record struct RealtimeScenario(string Name, double PriceShock, double VolShock, double Weight, bool IsExtended);
