import { Command } from 'commander';
import { analyzeCommand } from './commands/analyze';
import { benchCommand } from './commands/bench';
import { datasetAddCommand, datasetInfoCommand, datasetRefreshCommand } from './commands/dataset';
import { documentNewCommand } from './commands/document';
import { infoCommand } from './commands/info';
import { projectNewCommand } from './commands/project';
import { renderCommand } from './commands/render';
import { runsCommand } from './commands/runs';
import { trainCommand } from './commands/train';
import { failAndExit } from './errors';

const program = new Command()
  .name('wavenet-studio')
  .description('Train WaveNet models on your own audio and render new audio, all on this machine.')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (s, write) => write(s.split('\n')[0] + '\n') });

program
  .command('train')
  .description('train a WaveNet on folders of audio or on a project dataset (or resume a run)')
  .argument('[folders...]', 'audio folders (wav, flac, ogg, mp3)')
  .option('--run <dir>', 'run folder for config, metrics and checkpoints (with --project: default <project>/runs/<new id>)')
  .option('--project <dir>', 'train on an imported dataset of this project (its cached features and split)')
  .option('--dataset <name>', 'the dataset of --project (may be left out when the project has one)')
  .option('--preset <name>', 'tiny | small | medium | large', 'small')
  .option('--steps <n>', 'training steps')
  .option('--condition <kind>', 'mel | pianoroll | none', 'mel')
  .option('--device <name>', 'auto | cpu | cuda | webgpu | dml | coreml', 'auto')
  .option('--seed <n>', 'random seed (same seed, same run)')
  .option('--batch <n>', 'segments per step')
  .option('--length <n>', 'samples per segment (a multiple of the hop)')
  .option('--lr <x>', 'peak learning rate')
  .option('--threads <n>', 'CPU threads (0 = all)')
  .option('--checkpoint-every <n>', 'steps between checkpoints')
  .option('--sample-every <n>', 'render a free-running clip into <run>/samples/<step>.wav every n steps (0: never)')
  .option('--sample-seconds <s>', 'length of those clips in seconds (default 2)')
  .option('--class-per-folder', 'global conditioning: each audio folder given is one class (a speaker, an instrument)')
  .option('--resume', 'continue the run in --run from its last checkpoint')
  .action((folders: string[], flags) => trainCommand(folders, flags));

const project = program.command('project').description('create a project folder');
project
  .command('new')
  .description('start a project in <dir> (project.json, datasets/, runs/, documents/, renders/)')
  .argument('<dir>', 'the project folder (created if needed)')
  .option('--name <name>', 'project name (default: the folder name)')
  .action((dir: string, flags) => projectNewCommand(dir, flags));

const dataset = program.command('dataset').description("a project's datasets: add and import, refresh, info");
dataset
  .command('add')
  .description('add a dataset of audio folders to a project and import it')
  .argument('<project-dir>', 'the project folder')
  .argument('<folders...>', 'folders of recordings (wav, flac, ogg, mp3; searched recursively)')
  .option('--name <name>', 'dataset name (default: the first folder name)')
  .option('--condition <kind>', 'mel | pianoroll | none', 'mel')
  .option('--class-per-folder', 'global classes: one per folder given, or one per subfolder when one folder is given')
  .option('--classes <mode>', 'none | per-folder | per-subfolder (overrides --class-per-folder)')
  .option('--val <fraction>', 'share of files held out for validation', '0.1')
  .option('--seed <n>', 'seed of the train/validation split')
  .action((projectDir: string, folders: string[], flags) => datasetAddCommand(projectDir, folders, flags));
dataset
  .command('refresh')
  .description('import new and changed files, drop removed ones, reuse the rest')
  .argument('<project-dir>', 'the project folder')
  .option('--name <name>', 'the dataset (may be left out when the project has one)')
  .action((projectDir: string, flags) => datasetRefreshCommand(projectDir, flags));
dataset
  .command('info')
  .description("what a dataset's last import found: files, duration, split, classes, problems")
  .argument('<project-dir>', 'the project folder')
  .option('--name <name>', 'the dataset (may be left out when the project has one)')
  .option('--json', 'machine-readable output (DatasetInfo)')
  .action((projectDir: string, flags) => datasetInfoCommand(projectDir, flags));

program
  .command('render')
  .description('generate audio with a trained model')
  .requiredOption('--model <path>', 'a run folder (its latest checkpoint) or a model.onnx')
  .option('--mel-from <audio>', 'condition on the log-mel of this audio file')
  .option('--midi <file>', 'condition on this MIDI file (piano-roll models)')
  .option('--frames <file>', 'condition on these frames (.npy, [bins, frames])')
  .option('--seconds <s>', 'length, for unconditional models')
  .option('--out <file>', 'output .wav or .flac (with --project: renders/<new id>.wav)')
  .option('--project <dir>', 'render into this project (its renders/ folder)')
  .option('--document <name>', 'condition on this document of --project (its id or name)')
  .option('--temperature <t>', 'sampling temperature (0 = most likely)', '1')
  .option('--seed <n>', 'random seed', '1')
  .option('--batch <n>', 'parallel streams (chunks generated side by side; default 0 = chosen from the length, model and core count and shared among one worker thread per core; 1 = one exact stream)', '0')
  .option('--class <name>', 'global class to render, for models trained with --class-per-folder (a folder name or its number)')
  .option('--device <name>', 'auto | cpu | cuda | webgpu | dml | coreml', 'cpu')
  .action((flags) => renderCommand(flags));

program
  .command('document')
  .description('editor documents of a project')
  .command('new')
  .description('create a score from a MIDI file, or a mel sheet from an audio file; prints its id')
  .argument('<project>', 'project folder')
  .option('--from-midi <file>', 'MIDI file whose notes, tempo and time signature the score takes')
  .option('--from-audio <file>', 'audio file analysed into a mel sheet (the features training uses)')
  .option('--name <name>', 'document name (default: the source file name)')
  .action((project: string, flags) => documentNewCommand(project, flags));

program
  .command('analyze')
  .description('compute the 80-bin log-mel of an audio file')
  .argument('<audio>', 'audio file')
  .option('--mel-out <file>', 'output .npy (float32, [80, frames])')
  .option('--sample-rate <hz>', 'analysis sample rate', '16000')
  .action((audio: string, flags) => analyzeCommand(audio, flags));

program
  .command('info')
  .description('describe a model or run')
  .argument('<target>', 'run folder or model.onnx')
  .option('--json', 'machine-readable output')
  .action((target: string, flags) => infoCommand(target, flags));

program
  .command('runs')
  .description("list a project's runs: status, step, best and last validation loss")
  .argument('<project-dir>', 'project folder (the one holding runs/)')
  .option('--json', 'machine-readable output (an array of run summaries)')
  .action((projectDir: string, flags) => runsCommand(projectDir, flags));

program
  .command('bench')
  .description('measure training and generation speed (and the PyTorch anchor when available)')
  .option('--json', 'print only the JSON report')
  .option('--preset <name>', 'model preset', 'small')
  .option('--device <name>', 'execution provider', 'cpu')
  .option('--steps <n>', 'timed training steps', '5')
  .option('--samples <n>', 'timed generation samples', '3000')
  .option('--anchor <file>', 'the PyTorch anchor script to compare with (default: $WAVENET_TORCH_ANCHOR)')
  .option('--no-torch', 'skip the PyTorch anchor')
  .action((flags) => benchCommand(flags));

program
  .command('serve')
  .description('browser mode: serve the app on this machine')
  .option('--port <n>', 'port (0 = any free one)', '0')
  .option('--host <h>', 'address to bind', '127.0.0.1')
  .action(async (flags: { port: string; host: string }) => {
    const { serveCommand } = await import('./commands/serve');
    await serveCommand(flags);
  });

program.parseAsync(process.argv).catch(failAndExit);
