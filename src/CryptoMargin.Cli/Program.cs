using System.CommandLine;
var root = new RootCommand("CryptoMargin");
var opt = new Option<string?>("--prices", "--input") { Description = "x" };
root.Options.Add(opt);
root.SetAction(pr => { Console.WriteLine(pr.GetValue(opt)); return 0; });
return root.Parse(args).Invoke();
