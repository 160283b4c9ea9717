System.Console.Out.Write(string.Empty);
