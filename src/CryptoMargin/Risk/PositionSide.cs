namespace CryptoMargin.Risk;

/// <summary>Which way a linear position faces. Crypto tails are asymmetric, so each side is measured separately.</summary>
public enum PositionSide
{
    Long,
    Short,
}
