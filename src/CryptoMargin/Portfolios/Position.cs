using CryptoMargin.Instruments;

namespace CryptoMargin.Portfolios;

/// <summary>
/// A holding of one instrument. <see cref="Size"/> is in the unit Deribit's API reports for the instrument
/// (<see cref="Instrument.SizeUnit"/>: USD for inverse futures and perpetuals, coin for options, spot and linear
/// instruments); negative for short.
/// <para><see cref="AveragePrice"/> (futures and perpetuals only, optional): the entry price, USD per coin, as Deribit's
/// <c>private/get_positions</c> reports <c>average_price</c>; the account view measures the unrealised P&amp;L from it
/// (<c>Margin.Accounts.AccountMargin</c>). Null: the balance is after settlement at the current mark (P&amp;L 0).
/// Margin models ignore it.</para>
/// </summary>
public sealed record Position(Instrument Instrument, double Size, double? AveragePrice = null);
