using CryptoMargin.Instruments;

namespace CryptoMargin.Portfolios;

/// <summary>
/// A holding of one instrument. <see cref="Size"/> is in the unit Deribit's API reports for the instrument
/// (<see cref="Instrument.SizeUnit"/>: USD for inverse futures and perpetuals, coin for options, spot and linear
/// instruments); negative for short.
/// </summary>
public sealed record Position(Instrument Instrument, double Size);
