using CryptoMargin.Margin;
using CryptoMargin.Margin.Greeks;
using CryptoMargin.Margin.Hybrid;
using CryptoMargin.Margin.Span;

namespace CryptoMargin.Cli;

/// <summary>
/// The margin models the <c>margin</c> and <c>whatif</c> commands can run, by the name <c>--model</c> takes. Each entry
/// builds a model from the <c>--policy</c> file (null = the model's own defaults; each model reads its own section of
/// the file). A standard name without an entry is "not available in this build".
/// </summary>
internal static class MarginModels
{
    /// <summary>The standard models, in the order <c>--model all</c> runs them.</summary>
    public static readonly string[] Names = ["tiered", "span", "deribit-pm", "greeks", "hybrid"];

    /// <summary>Registered models: name → factory from the policy file (null = defaults).</summary>
    private static readonly Dictionary<string, Func<string?, IMarginModel>> Registered = new(StringComparer.Ordinal)
    {
        ["tiered"] = policy => MarginPolicyFile.Load(policy).Tiered(),
        ["span"] = policy => new SpanMarginModel(MarginPolicyFile.Load(policy).Span()),
        ["deribit-pm"] = policy => MarginPolicyFile.Load(policy).DeribitPm(),
        ["greeks"] = policy => new GreeksMarginModel(MarginPolicyFile.Load(policy).Greeks()),
        // Hybrid: the larger of the full-revaluation grid and the Greeks model (the Greeks model alone misses
        // margin-sized moves in both directions: docs/margin/greeks-hybrid.md).
        ["hybrid"] = policy =>
        {
            var file = MarginPolicyFile.Load(policy);
            return HybridMarginModel.Max(file.DeribitPm(), new GreeksMarginModel(file.Greeks()));
        },
    };

    private static readonly AsyncLocal<IReadOnlyDictionary<string, Func<string?, IMarginModel>>?> Scoped = new();

    /// <summary>The registry in effect: the scoped one of <see cref="Use"/> where set, else the built-in entries.</summary>
    private static IReadOnlyDictionary<string, Func<string?, IMarginModel>> Current => Scoped.Value ?? Registered;

    public static bool IsAvailable(string name) => Current.ContainsKey(name);

    /// <summary>Every name <c>--model</c> accepts: the standard ones, <c>all</c>, and any other registered.</summary>
    public static IReadOnlyList<string> Accepted => [.. Names, "all", .. Current.Keys.Where(k => Array.IndexOf(Names, k) < 0).Order(StringComparer.Ordinal)];

    /// <summary>The names <paramref name="model"/> stands for: every available standard model for <c>all</c>, else itself.</summary>
    /// <exception cref="CliUsageException">An unknown name, or <c>all</c> when no model is available.</exception>
    public static IReadOnlyList<string> Resolve(string model)
    {
        if (model == "all")
        {
            var available = Names.Where(IsAvailable).ToList();
            if (available.Count == 0)
                throw new CliUsageException($"no margin model is available in this build (none of {string.Join(", ", Names)} is registered)");
            return available;
        }
        if (Array.IndexOf(Names, model) < 0 && !IsAvailable(model))
            throw new CliUsageException($"--model '{model}' is not one of {string.Join(", ", Accepted)}");
        return [model];
    }

    /// <summary>Builds model <paramref name="name"/> with the policy in <paramref name="policyFile"/> (null = the model's defaults).</summary>
    /// <exception cref="CliUsageException">The model is not available in this build.</exception>
    public static IMarginModel Create(string name, string? policyFile)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Current.TryGetValue(name, out var factory))
            throw new CliUsageException($"model {name} is not available in this build (available: {(Current.Count == 0 ? "none" : string.Join(", ", Current.Keys.Order(StringComparer.Ordinal)))})");
        return factory(policyFile);
    }

    /// <summary>
    /// Replaces the registry with <paramref name="models"/> for the calling flow until disposed (tests register stand-in
    /// models this way without touching the built-in entries or other tests running in parallel).
    /// </summary>
    internal static IDisposable Use(IReadOnlyDictionary<string, Func<string?, IMarginModel>> models)
    {
        var previous = Scoped.Value;
        Scoped.Value = models;
        return new Restore(() => Scoped.Value = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
