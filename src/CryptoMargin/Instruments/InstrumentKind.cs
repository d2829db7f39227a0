namespace CryptoMargin.Instruments;

/// <summary>What an instrument is, as the margin models treat it.</summary>
public enum InstrumentKind
{
    /// <summary>Spot holding of a coin against USD/USDC (Deribit spot pairs such as <c>BTC_USDC</c>).</summary>
    Spot,
    /// <summary>Dated future (<c>BTC-27MAR26</c>, <c>BTC_USDC-27MAR26</c>).</summary>
    Future,
    /// <summary>Perpetual swap (<c>BTC-PERPETUAL</c>, <c>ETH_USDC-PERPETUAL</c>).</summary>
    Perpetual,
    /// <summary>European option (<c>BTC-27MAR26-90000-C</c>).</summary>
    Option,
}
