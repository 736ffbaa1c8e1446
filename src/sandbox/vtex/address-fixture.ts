/**
 * Cities where the sandbox's customers live, weighted roughly by e-commerce share. CEPs fall in
 * each city's real range so region/state KPIs and CEP-prefix logic behave; street names are
 * common ones, house numbers are invented.
 */

export interface CityFixture {
  readonly city: string;
  readonly state: string;
  readonly ddd: string;
  /** Inclusive 5-digit CEP prefix range. */
  readonly cepFrom: number;
  readonly cepTo: number;
  /** [longitude, latitude] of the centre. */
  readonly center: readonly [number, number];
  readonly neighborhoods: readonly string[];
  readonly streets: readonly string[];
  readonly weight: number;
}

export const CITIES: readonly CityFixture[] = Object.freeze([
  {
    city: 'São Paulo', state: 'SP', ddd: '11', cepFrom: 1000, cepTo: 5999, center: [-46.6333, -23.5505], weight: 30,
    neighborhoods: ['Pinheiros', 'Moema', 'Tatuapé', 'Santana', 'Vila Mariana', 'Itaim Bibi'],
    streets: ['Rua dos Pinheiros', 'Avenida Ibirapuera', 'Rua Tuiuti', 'Rua Voluntários da Pátria', 'Rua Domingos de Morais', 'Rua Joaquim Floriano'],
  },
  {
    city: 'Campinas', state: 'SP', ddd: '19', cepFrom: 13010, cepTo: 13099, center: [-47.0626, -22.9099], weight: 5,
    neighborhoods: ['Cambuí', 'Taquaral', 'Barão Geraldo'],
    streets: ['Rua Coronel Quirino', 'Avenida Norte-Sul', 'Rua Maria Monteiro'],
  },
  {
    city: 'Rio de Janeiro', state: 'RJ', ddd: '21', cepFrom: 20000, cepTo: 23799, center: [-43.1729, -22.9068], weight: 14,
    neighborhoods: ['Copacabana', 'Tijuca', 'Barra da Tijuca', 'Botafogo', 'Méier'],
    streets: ['Rua Barata Ribeiro', 'Rua Conde de Bonfim', 'Avenida das Américas', 'Rua Voluntários da Pátria', 'Rua Dias da Cruz'],
  },
  {
    city: 'Niterói', state: 'RJ', ddd: '21', cepFrom: 24000, cepTo: 24399, center: [-43.1036, -22.8832], weight: 3,
    neighborhoods: ['Icaraí', 'Santa Rosa'],
    streets: ['Rua Gavião Peixoto', 'Rua Santa Rosa'],
  },
  {
    city: 'Belo Horizonte', state: 'MG', ddd: '31', cepFrom: 30000, cepTo: 31999, center: [-43.9378, -19.9208], weight: 8,
    neighborhoods: ['Savassi', 'Pampulha', 'Buritis', 'Funcionários'],
    streets: ['Rua Pernambuco', 'Avenida Otacílio Negrão de Lima', 'Rua Professor Mário Werneck', 'Rua Cláudio Manoel'],
  },
  {
    city: 'Curitiba', state: 'PR', ddd: '41', cepFrom: 80000, cepTo: 82999, center: [-49.2733, -25.4284], weight: 6,
    neighborhoods: ['Batel', 'Água Verde', 'Santa Felicidade'],
    streets: ['Avenida do Batel', 'Rua Brasílio Itiberê', 'Avenida Manoel Ribas'],
  },
  {
    city: 'Porto Alegre', state: 'RS', ddd: '51', cepFrom: 90000, cepTo: 91999, center: [-51.2177, -30.0346], weight: 6,
    neighborhoods: ['Moinhos de Vento', 'Menino Deus', 'Petrópolis'],
    streets: ['Rua Padre Chagas', 'Avenida Getúlio Vargas', 'Rua Dom Pedro II'],
  },
  {
    city: 'Florianópolis', state: 'SC', ddd: '48', cepFrom: 88010, cepTo: 88099, center: [-48.5482, -27.5949], weight: 3,
    neighborhoods: ['Centro', 'Trindade', 'Ingleses'],
    streets: ['Rua Felipe Schmidt', 'Rua Lauro Linhares', 'Rodovia Armando Calil Bulos'],
  },
  {
    city: 'Brasília', state: 'DF', ddd: '61', cepFrom: 70000, cepTo: 72799, center: [-47.8825, -15.7942], weight: 5,
    neighborhoods: ['Asa Sul', 'Asa Norte', 'Águas Claras'],
    streets: ['SQS 308 Bloco C', 'SQN 210 Bloco F', 'Rua 36 Norte'],
  },
  {
    city: 'Goiânia', state: 'GO', ddd: '62', cepFrom: 74000, cepTo: 74899, center: [-49.2643, -16.6869], weight: 3,
    neighborhoods: ['Setor Bueno', 'Setor Marista'],
    streets: ['Avenida T-4', 'Rua 1128'],
  },
  {
    city: 'Salvador', state: 'BA', ddd: '71', cepFrom: 40000, cepTo: 42599, center: [-38.5014, -12.9718], weight: 5,
    neighborhoods: ['Barra', 'Pituba', 'Rio Vermelho'],
    streets: ['Avenida Sete de Setembro', 'Rua Minas Gerais', 'Rua Odilon Santos'],
  },
  {
    city: 'Recife', state: 'PE', ddd: '81', cepFrom: 50000, cepTo: 52999, center: [-34.877, -8.0476], weight: 4,
    neighborhoods: ['Boa Viagem', 'Casa Forte', 'Espinheiro'],
    streets: ['Avenida Boa Viagem', 'Rua Dona Olegarinha', 'Rua do Espinheiro'],
  },
  {
    city: 'Fortaleza', state: 'CE', ddd: '85', cepFrom: 60000, cepTo: 61599, center: [-38.5267, -3.7319], weight: 4,
    neighborhoods: ['Aldeota', 'Meireles', 'Cocó'],
    streets: ['Rua Silva Paulet', 'Avenida Beira Mar', 'Rua Desembargador Lauro Nogueira'],
  },
  {
    city: 'Manaus', state: 'AM', ddd: '92', cepFrom: 69000, cepTo: 69099, center: [-60.0217, -3.1190], weight: 2,
    neighborhoods: ['Adrianópolis', 'Ponta Negra'],
    streets: ['Rua Salvador', 'Avenida Coronel Teixeira'],
  },
] satisfies CityFixture[]);

export const FEMALE_FIRST_NAMES: readonly string[] = Object.freeze([
  'Mariana', 'Ana', 'Juliana', 'Fernanda', 'Camila', 'Beatriz', 'Larissa', 'Patrícia', 'Aline', 'Gabriela',
  'Letícia', 'Amanda', 'Bruna', 'Carolina', 'Rafaela', 'Luana', 'Vitória', 'Débora', 'Isabela', 'Renata',
]);

export const MALE_FIRST_NAMES: readonly string[] = Object.freeze([
  'Lucas', 'Gabriel', 'Rafael', 'Felipe', 'Bruno', 'Thiago', 'Rodrigo', 'Gustavo', 'Matheus', 'Pedro',
  'João', 'Diego', 'Eduardo', 'Leonardo', 'André', 'Marcelo', 'Vinícius', 'Daniel', 'Henrique', 'Caio',
]);

export const LAST_NAMES: readonly string[] = Object.freeze([
  'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes',
  'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa',
  'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado', 'Mendes', 'Freitas',
]);

export const COMPLEMENTS: readonly string[] = Object.freeze([
  '', '', '', 'apto 52', 'apto 101', 'apto 1204', 'casa 2', 'bloco B apto 304', 'fundos', 'sala 1203',
]);

export const BUSINESS_KINDS: readonly string[] = Object.freeze([
  'Comércio de Roupas', 'Uniformes', 'Decorações', 'Cosméticos', 'Eventos', 'Hotelaria', 'Brindes Corporativos',
]);
